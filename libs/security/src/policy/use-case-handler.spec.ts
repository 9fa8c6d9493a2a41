import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Principal } from '../principal';
import { UseCase } from './decorators';
import { definePolicies, OperationRefusedException } from './operation-policy';
import { UseCaseHandler, type Command } from './use-case-handler';

const P = definePolicies('cameras', {
  registerCamera: { callers: ['admin', 'region-admin'], regions: 'own', reveals: [] },
});

interface RegisterCamera extends Command {
  name: string;
}

@Injectable()
class RegisterCameraUseCase extends UseCaseHandler<RegisterCamera, string> {
  @UseCase(P.registerCamera)
  async execute(command: RegisterCamera): Promise<string> {
    return `${command.name} by ${command.actor.subject}`;
  }
}

@Injectable()
class RenameCameraUseCase extends UseCaseHandler<RegisterCamera, string> {
  async execute(command: RegisterCamera): Promise<string> {
    return command.name;
  }
}

const admin: Principal = { kind: 'user', subject: 'aigerim', roles: ['region-admin'], regions: ['ALA'] };
const operator: Principal = { kind: 'user', subject: 'daniyar', roles: ['operator'], regions: ['ALA'] };

describe('use cases', () => {
  it('run for a caller their policy admits and refuse any other', async () => {
    const useCase = new RegisterCameraUseCase();
    expect(useCase.policy).toBe(P.registerCamera);
    await expect(useCase.execute({ actor: admin, name: 'gate' })).resolves.toBe('gate by aigerim');
    await expect(useCase.execute({ actor: operator, name: 'gate' })).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });

  it('without a policy do not start: the module fails to initialise, naming the class', async () => {
    @Module({ providers: [RegisterCameraUseCase, RenameCameraUseCase] })
    class CamerasModule {}
    await expect(
      NestFactory.createApplicationContext(CamerasModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(/RenameCameraUseCase names no policy/);
    @Module({ providers: [RegisterCameraUseCase] })
    class PolicedModule {}
    const app = await NestFactory.createApplicationContext(PolicedModule, {
      logger: false,
      abortOnError: false,
    });
    expect(app.get(RegisterCameraUseCase).policy).toBe(P.registerCamera);
    await app.close();
  });
});
