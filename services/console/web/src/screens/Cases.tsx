import { useState } from 'react';
import type { AppContext } from '../App';
import { call } from '../api';
import { ErrorNotice, Loading, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';

interface CaseItem {
  id: string;
  number: string;
  regionCode: string;
  subject: {
    id: string;
    kind: string;
    name?: string | null;
    address?: string | null;
    identifier?: string | null;
    notes?: string | null;
  };
  category: string;
  riskLevel: string | null;
  status: string;
  ownerAgency: string;
  responsibleOfficer: string;
  reviewDue: boolean;
  nextReviewAt: string;
  overdueMeasures: number;
  legalBasis?: string;
}

const PERSONAL = new Set(['person', 'family']);

export function CasesList() {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const [status, setStatus] = useState('');
  const cases = useLoad(
    (signal) =>
      call<{ items: CaseItem[] }>('prevention', `/cases?limit=200${status ? `&status=${status}` : ''}`, {
        signal,
      }),
    [status],
  );
  return (
    <section>
      <h1>{t('cases.title')}</h1>
      <label>
        {t('cases.status')}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {['open', 'active', 'monitoring', 'closed'].map((s) => (
            <option key={s} value={s}>
              {tv('caseStatus', s)}
            </option>
          ))}
        </select>
      </label>
      {cases.loading && !cases.data && <Loading />}
      <table data-testid="cases">
        <thead>
          <tr>
            <th scope="col">{t('cases.number')}</th>
            <th scope="col">{t('cases.subject')}</th>
            <th scope="col">{t('cases.category')}</th>
            <th scope="col">{t('cases.risk')}</th>
            <th scope="col">{t('cases.status')}</th>
            <th scope="col">{t('cases.review')}</th>
          </tr>
        </thead>
        <tbody>
          {(cases.data?.items ?? []).map((c) => (
            <tr key={c.id}>
              <td>
                <a
                  href={`/cases/${c.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/cases/${c.id}`);
                  }}
                >
                  {c.number}
                </a>
              </td>
              <td>{tv('subjectKind', c.subject.kind)}</td>
              <td>{tv('caseCategory', c.category)}</td>
              <td>{tv('risk', c.riskLevel)}</td>
              <td>{tv('caseStatus', c.status)}</td>
              <td>{c.reviewDue ? t('cases.reviewDue') : i18n.dateTime(c.nextReviewAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNotice error={cases.error} />
    </section>
  );
}

/**
 * A case and its timeline. A person's or family's case is read only after the officer states why
 * (the API audits every such read with its purpose); places and organizations open at once.
 */
export function CaseDetail({ id }: { ctx: AppContext; id: string }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const summary = useLoad(
    (signal) =>
      call<{ items: CaseItem[] }>('prevention', `/cases?limit=500`, { signal }).then(
        (r) => r.items.find((c) => c.id === id) ?? null,
      ),
    [id],
  );
  const [purpose, setPurpose] = useState('');
  const [stated, setStated] = useState<string | null>(null);
  const personal = summary.data ? PERSONAL.has(summary.data.subject.kind) : null;
  const ready = personal === false || stated !== null;
  const detail = useLoad(
    (signal) =>
      ready
        ? Promise.all([
            call<CaseItem>('prevention', `/cases/${id}`, { signal, purpose: stated ?? undefined }),
            call<
              {
                at: string;
                kind: string;
                actor: string;
                incidentId: string | null;
                details: Record<string, unknown>;
              }[]
            >('prevention', `/cases/${id}/timeline`, { signal, purpose: stated ?? undefined }),
          ])
        : Promise.resolve(null),
    [id, ready, stated],
  );
  if (summary.error) return <ErrorNotice error={summary.error} />;
  if (summary.loading && !summary.data) return <Loading />;
  if (!summary.data) return <ErrorNotice error={new Error('not found')} />;
  const c = summary.data;
  return (
    <section>
      <p>
        <a
          href="/cases"
          onClick={(e) => {
            e.preventDefault();
            navigate('/cases');
          }}
        >
          {t('cases.back')}
        </a>
      </p>
      <h1>
        {t('cases.case')} {c.number}
      </h1>
      <p>
        {tv('subjectKind', c.subject.kind)} · {tv('caseCategory', c.category)} · {tv('caseStatus', c.status)}
      </p>
      {personal && stated === null && (
        <form
          className="purpose"
          data-testid="purpose-prompt"
          onSubmit={(e) => {
            e.preventDefault();
            setStated(purpose.trim());
          }}
        >
          <p>{t('cases.purposeNeeded')}</p>
          <label>
            {t('cases.purpose')}
            <input
              value={purpose}
              onChange={(e) => setPurpose(e.target.value)}
              minLength={5}
              maxLength={300}
              required
              autoComplete="off"
            />
          </label>
          <button type="submit" className="primary">
            {t('cases.showData')}
          </button>
        </form>
      )}
      {detail.error !== undefined && (
        <>
          <ErrorNotice error={detail.error} />
          {stated !== null && (
            <button type="button" onClick={() => setStated(null)}>
              {t('cases.statePurposeAgain')}
            </button>
          )}
        </>
      )}
      {detail.data && (
        <div className="columns">
          <dl className="facts">
            <dt>{t('cases.subjectName')}</dt>
            <dd className="data">{detail.data[0].subject.name ?? '—'}</dd>
            <dt>{t('cases.address')}</dt>
            <dd className="data">{detail.data[0].subject.address ?? '—'}</dd>
            <dt>{t('cases.legalBasis')}</dt>
            <dd className="data">{detail.data[0].legalBasis ?? '—'}</dd>
            <dt>{t('cases.owner')}</dt>
            <dd>
              {tv('agency', detail.data[0].ownerAgency)} · {detail.data[0].responsibleOfficer}
            </dd>
            <dt>{t('cases.risk')}</dt>
            <dd>{tv('risk', detail.data[0].riskLevel)}</dd>
            {stated && (
              <>
                <dt>{t('cases.statedPurpose')}</dt>
                <dd className="data">{stated}</dd>
              </>
            )}
          </dl>
          <div>
            <h2>{t('cases.timeline')}</h2>
            <ol className="timeline" data-testid="case-timeline">
              {detail.data[1].map((entry, i) => (
                <li key={i}>
                  <time dateTime={entry.at}>{i18n.dateTime(entry.at)}</time> {tv('caseEvent', entry.kind)} —{' '}
                  {entry.actor}
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
    </section>
  );
}
