import { Injectable } from '@nestjs/common';
import { incidents as contract, recognition } from '@safecity/contracts';
import { AuditLog, RegionScope, UseCase, UseCaseHandler, type Principal } from '@safecity/security';
import { ConflictError, InvalidError, NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { RegionTransaction } from '../../../access/region-transaction';
import { MatchVerifications } from '../../../correlation/match-verifications';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { checkTransition, verificationStep } from '../../../lifecycle/state-machine';
import { TransitionRecord } from '../../../lifecycle/transition-record';
import { plateHitEvidence, reviewVisualCheck, type VehicleField } from '../../../lifecycle/visual-check';
import { SopDeviations } from '../../../sop/sop-deviations';
import { UnitsRepository } from '../../../units/units.repository';
import { ResolutionNames, StateNames } from '../../enum-names';
import { IncidentChangeLog } from '../../incident-change-log';
import { IllegalTransitionError } from '../../incident-errors';
import type { TransitionDto } from '../../incident.dto';
import { actorOf, incidentView, type IncidentRecord, type IncidentView } from '../../incident.model';
import { IncidentsRepository } from '../../incidents.repository';
import type { TransitionIncident } from './transition-incident.command';

const S = contract.IncidentState;
const K = contract.IncidentChangeKind;
const FACE = contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH;
const PLATE = contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH;

export interface TransitionOutcome {
  incident: IncidentView;
  /** Set while a verification waits for further confirmations. */
  verification?: { confirmations: number; required: number };
}

const staleVersion = (incident: IncidentRecord, expected: number) =>
  new ConflictError(`incident is at version ${incident.version}, not ${expected}`, {
    field: 'expectedVersion',
  });

/**
 * A person moves an incident one step of its lifecycle: verifying (by as many different people as
 * it needs, with the visual check a plate hit asks for), dispatching a unit of its region,
 * arriving, resolving (SOP steps never done become deviations), dismissing, closing, reopening.
 * The step, its history entry, its change and its audit record are one transaction.
 */
@Injectable()
export class TransitionIncidentUseCase extends UseCaseHandler<TransitionIncident, TransitionOutcome> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly audit: AuditLog,
    private readonly record: TransitionRecord,
    private readonly units: UnitsRepository,
    private readonly sopDeviations: SopDeviations,
    private readonly matchVerifications: MatchVerifications,
  ) {
    super();
  }

  @UseCase(P.transitionIncident)
  async execute({ actor, id, step }: TransitionIncident): Promise<TransitionOutcome> {
    const scope = RegionScope.of(actor);
    const to = StateNames.fromName(step.to)!;
    if (to === S.INCIDENT_STATE_VERIFIED) {
      const face = await this.faceMatchAwaitingConfirmation(id, step, scope);
      if (face) return this.confirmFaceMatch(face, step, actor);
    }
    return this.transaction.run(scope, async (m) => {
      const incident = await this.repository.findById(m, id, true);
      if (!incident || !scope.includes(incident.regionCode))
        throw new NotFoundError(`incident ${id} not found`);
      if (step.expectedVersion !== undefined && step.expectedVersion !== incident.version)
        throw staleVersion(incident, step.expectedVersion);
      const check = checkTransition({
        from: incident.state,
        to,
        reason: step.reason ?? '',
        resolution: step.resolution ? ResolutionNames.fromName(step.resolution)! : 0,
      });
      if (!check.ok && check.kind === 'illegal')
        throw new IllegalTransitionError(incident.state, to, check.allowed);
      if (!check.ok) throw new InvalidError({ field: check.field, reason: check.message });
      if (to === S.INCIDENT_STATE_DISPATCHED && !step.unitId)
        throw new InvalidError({ field: 'unitId', reason: 'dispatching needs the unit sent' });

      let vehicleMismatch: VehicleField[] = [];
      if (incident.state === S.INCIDENT_STATE_NEW && to === S.INCIDENT_STATE_VERIFIED) {
        const confirmedBy = (await this.repository.confirmations(m, id)).map((c) => c.actor);
        const verification = verificationStep(
          {
            requiredConfirmations: incident.requiredConfirmations,
            visualCheckRequired: incident.visualCheckRequired,
          },
          confirmedBy,
          actor.subject,
          step.visualCheck,
        );
        if (verification.kind === 'visual-check-missing') {
          throw new InvalidError({
            field: 'visualCheck',
            reason: `a plate hit is verified only with the operator's visual check of ${verification.missing.join(', ')}`,
          });
        }
        if (incident.visualCheckRequired && step.visualCheck) {
          const plateSources = ((await this.repository.sourcesOf(m, [id])).get(id) ?? []).filter(
            (source) => source.kind === PLATE,
          );
          const review = reviewVisualCheck(step.visualCheck, plateHitEvidence(plateSources), step.reason);
          if (!review.ok) throw new InvalidError({ field: review.field, reason: review.reason });
          vehicleMismatch = review.vehicleMismatch;
        }
        if (verification.kind === 'already-confirmed') {
          throw new ConflictError(
            `you have already confirmed this incident; ${verification.required} different people must confirm it (${verification.confirmations} so far)`,
            { field: 'to' },
          );
        }
        await this.repository.addConfirmation(m, incident, actor.subject, {
          ...step.visualCheck,
          comment: step.reason,
          vehicleMismatch,
        });
        if (verification.kind === 'confirmation-recorded') {
          const updated = await this.confirmationRecorded(m, incident, actor, {
            confirmation: verification.confirmations,
            required: verification.required,
          });
          return {
            incident: updated,
            verification: { confirmations: verification.confirmations, required: verification.required },
          };
        }
      }

      if (to === S.INCIDENT_STATE_DISPATCHED) {
        const unit = await this.units.findById(m, step.unitId!, true);
        if (!unit || unit.regionCode !== incident.regionCode) {
          throw new InvalidError({
            field: 'unitId',
            reason: `no unit ${step.unitId} in region ${incident.regionCode}`,
          });
        }
        if (unit.status !== 'available') {
          throw new ConflictError(`unit ${unit.callSign} is ${unit.status}, not available`, {
            field: 'unitId',
          });
        }
        await this.units.update(m, unit.id, { status: 'dispatched', currentIncidentId: id });
      }
      if (to === S.INCIDENT_STATE_ON_SCENE && incident.unitId)
        await this.units.arriveAt(m, incident.unitId, id);
      if (to === S.INCIDENT_STATE_RESOLVED || to === S.INCIDENT_STATE_DISMISSED)
        await this.units.releaseFrom(m, id);
      if (to === S.INCIDENT_STATE_RESOLVED)
        await this.sopDeviations.recordSkippedAtResolution(m, incident, actor.subject);
      const updated = await this.repository.applyTransition(
        m,
        id,
        to,
        // Only dismissing, resolving and reopening change the outcome; other steps keep it.
        to === S.INCIDENT_STATE_DISMISSED || to === S.INCIDENT_STATE_RESOLVED || check.reopening
          ? check.resolution
          : incident.resolution,
        to === S.INCIDENT_STATE_DISPATCHED ? { unitId: step.unitId } : {},
      );
      return {
        incident: await this.record.write(
          m,
          incident,
          updated,
          actor,
          step.reason ?? '',
          vehicleMismatch.length > 0 ? { vehicleMismatch } : {},
        ),
      };
    });
  }

  /**
   * The face match a new face-match incident is verified by: the one that opened it. Null for any
   * other incident or step, which the lifecycle handles itself.
   */
  private async faceMatchAwaitingConfirmation(
    id: string,
    step: TransitionDto,
    scope: RegionScope,
  ): Promise<{ incident: IncidentRecord; matchId: string } | null> {
    return this.transaction.run(scope, async (m) => {
      const incident = await this.repository.findById(m, id);
      if (!incident || !scope.includes(incident.regionCode))
        throw new NotFoundError(`incident ${id} not found`);
      if (incident.state !== S.INCIDENT_STATE_NEW || incident.sourceKind !== FACE) return null;
      if (step.expectedVersion !== undefined && step.expectedVersion !== incident.version)
        throw staleVersion(incident, step.expectedVersion);
      const faces = ((await this.repository.sourcesOf(m, [id])).get(id) ?? [])
        .filter((s) => s.kind === FACE)
        .sort((a, b) => new Date(a.addedAt).getTime() - new Date(b.addedAt).getTime());
      return faces[0] ? { incident, matchId: faces[0].refId } : null;
    });
  }

  /**
   * A person's confirmation of a face-match incident is their confirmation of its match, given in
   * recognition between two transactions here (a remote call holds no lock). The incident then
   * takes the match's status: verified once two different people confirmed the match, wherever
   * each did; the same person twice is refused there. Should this transaction fail after
   * recognition recorded the confirmation, the match's status event brings the incident along.
   */
  private async confirmFaceMatch(
    face: { incident: IncidentRecord; matchId: string },
    step: TransitionDto,
    actor: Principal,
  ): Promise<TransitionOutcome> {
    const verdict = await this.matchVerifications.confirm(face.matchId, actor, step.reason ?? '');
    const confirmed = verdict.status === recognition.MatchStatus.MATCH_STATUS_CONFIRMED;
    return this.transaction.run(RegionScope.of(actor), async (m) => {
      const incident = (await this.repository.findById(m, face.incident.id, true))!;
      await this.repository.addConfirmation(m, incident, actor.subject, { comment: step.reason });
      if (confirmed && incident.state === S.INCIDENT_STATE_NEW) {
        const verified = await this.repository.applyTransition(
          m,
          incident.id,
          S.INCIDENT_STATE_VERIFIED,
          incident.resolution,
        );
        return { incident: await this.record.write(m, incident, verified, actor, step.reason ?? '') };
      }
      if (confirmed) {
        const sources = (await this.repository.sourcesOf(m, [incident.id])).get(incident.id) ?? [];
        return { incident: incidentView(incident, sources.length) };
      }
      return {
        incident: await this.confirmationRecorded(m, incident, actor, {
          matchId: face.matchId,
          confirmation: verdict.confirmations,
          required: verdict.requiredConfirmations,
        }),
        verification: { confirmations: verdict.confirmations, required: verdict.requiredConfirmations },
      };
    });
  }

  /** A confirmation that does not yet verify: a new version, announced and audited. */
  private async confirmationRecorded(
    m: EntityManager,
    incident: IncidentRecord,
    actor: Principal,
    details: Record<string, unknown>,
  ): Promise<IncidentView> {
    const updated = await this.repository.bumpVersion(m, incident.id);
    const sources = (await this.repository.sourcesOf(m, [incident.id])).get(incident.id) ?? [];
    await this.changes.record(m, [
      {
        kind: K.INCIDENT_CHANGE_KIND_UPDATED,
        incident: updated,
        sources,
        actor: actorOf(actor.kind, actor.subject),
        reason: 'confirmation recorded',
      },
    ]);
    await this.audit.record(m, {
      actor,
      action: 'update',
      objectType: 'incident',
      objectId: incident.id,
      regionCode: incident.regionCode,
      details,
    });
    return incidentView(updated, sources.length);
  }
}
