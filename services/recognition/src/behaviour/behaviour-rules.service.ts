import { Injectable, NotFoundException } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CameraDirectoryRepository } from '../camera-directory/camera-directory.repository';
import { withinScope } from '../watchlists/watchlist';
import { regionsOf } from '../watchlists/watchlist-changes';
import type { BehaviourRule } from './behaviour-rule';
import type { BehaviourRuleFieldsDto, CreateBehaviourRuleDto } from './behaviour-rule.dto';
import { BehaviourRulesRepository, type RuleValues } from './behaviour-rules.repository';

/** Kazakhstan keeps one time zone (UTC+5) since March 2024. */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

/** Per-camera alert rules, kept by the region's integrators and supervisors. */
@Injectable()
export class BehaviourRulesService {
  constructor(
    private readonly rules: BehaviourRulesRepository,
    private readonly cameras: CameraDirectoryRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  @UseCase(P.keepBehaviourRules)
  async create(cameraId: string, dto: CreateBehaviourRuleDto, actor: Principal): Promise<BehaviourRule> {
    const scope = RegionScope.of(actor);
    // A camera of another region is answered like an unknown one.
    const camera = await this.cameras.findById(cameraId, scope);
    if (!camera) throw new NotFoundException(`camera ${cameraId} not found`);
    const values: RuleValues = {
      behaviour: dto.behaviour,
      minConfidence: dto.minConfidence,
      schedule: dto.schedule ?? [],
      timeZone: checkTimeZone(dto.timeZone ?? DEFAULT_TIME_ZONE),
      zone: dto.zone ?? null,
      severity: dto.severity,
      enabled: dto.enabled ?? true,
    };
    checkSchedule(values);
    return this.change(scope, async (m) => {
      const rule = await this.rules.insert(m, {
        ...values,
        id: randomUUID(),
        cameraId: camera.id,
        regionCode: camera.regionCode,
        createdBy: actor.subject,
      });
      await this.record(m, actor, 'create', rule);
      return rule;
    });
  }

  @UseCase(P.readBehaviourRules)
  async forCamera(cameraId: string, scope: RegionScope): Promise<BehaviourRule[]> {
    return this.outbox.transaction((tx) =>
      withinScope(tx, scope, (m) => this.rules.ofCamera(m, regionsOf(scope), cameraId)),
    );
  }

  @UseCase(P.readBehaviourRules)
  async get(id: string, scope: RegionScope): Promise<BehaviourRule> {
    return this.outbox.transaction((tx) => withinScope(tx, scope, (m) => this.find(m, scope, id)));
  }

  @UseCase(P.keepBehaviourRules)
  async update(id: string, dto: BehaviourRuleFieldsDto, actor: Principal): Promise<BehaviourRule> {
    const scope = RegionScope.of(actor);
    return this.change(scope, async (m) => {
      const rule = await this.find(m, scope, id);
      const values: RuleValues = {
        behaviour: rule.behaviour,
        minConfidence: dto.minConfidence ?? rule.minConfidence,
        schedule: dto.schedule ?? rule.schedule,
        timeZone: checkTimeZone(dto.timeZone ?? rule.timeZone),
        zone: dto.zone ?? rule.zone,
        severity: dto.severity ?? rule.severity,
        enabled: dto.enabled ?? rule.enabled,
      };
      checkSchedule(values);
      const updated = await this.rules.update(m, id, values);
      await this.record(m, actor, 'update', updated, { fields: Object.keys(dto) });
      return updated;
    });
  }

  @UseCase(P.keepBehaviourRules)
  async remove(id: string, actor: Principal): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.change(scope, async (m) => {
      const rule = await this.find(m, scope, id);
      await this.rules.delete(m, id);
      await this.record(m, actor, 'update', rule, { deleted: true });
    });
  }

  private change<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.outbox.transaction((tx) => withinScope(tx, scope, work));
  }

  private async find(m: EntityManager, scope: RegionScope, id: string): Promise<BehaviourRule> {
    const rule = await this.rules.find(m, regionsOf(scope), id);
    if (!rule) throw new NotFoundException(`behaviour rule ${id} not found`);
    return rule;
  }

  private record(
    m: EntityManager,
    actor: Principal,
    action: 'create' | 'update',
    rule: BehaviourRule,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.record(m, {
      actor,
      action,
      objectType: 'behaviour-rule',
      objectId: rule.id,
      regionCode: rule.regionCode,
      purpose: 'alert rule administration',
      details: { cameraId: rule.cameraId, behaviour: rule.behaviour, ...details },
    });
  }
}

function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    throw new UnprocessableFieldException('timeZone', `unknown time zone ${timeZone}`);
  }
}

function checkSchedule(values: RuleValues): void {
  values.schedule.forEach((w, i) => {
    if (w.from === w.to) throw new UnprocessableFieldException(`schedule.${i}.to`, 'must differ from from');
  });
}
