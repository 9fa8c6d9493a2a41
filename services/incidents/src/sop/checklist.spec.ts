import { skippedSteps, stepCompletion } from './checklist';

const steps = [
  { id: 'check-video', title: 'Check the live video' },
  { id: 'call-unit', title: 'Call the nearest unit' },
  { id: 'inform-duty', title: 'Inform the duty officer' },
];

describe('SOP checklist', () => {
  it('accepts steps in order', () => {
    expect(stepCompletion(steps, new Set(), 'check-video')).toEqual({ kind: 'in-order' });
    expect(stepCompletion(steps, new Set(['check-video']), 'call-unit')).toEqual({ kind: 'in-order' });
  });

  it('names the steps left out when one is done out of order', () => {
    expect(stepCompletion(steps, new Set(), 'inform-duty')).toEqual({
      kind: 'out-of-order',
      skipped: ['check-video', 'call-unit'],
    });
  });

  it('refuses unknown and repeated steps', () => {
    expect(stepCompletion(steps, new Set(), 'dance')).toEqual({ kind: 'unknown-step' });
    expect(stepCompletion(steps, new Set(['call-unit']), 'call-unit')).toEqual({ kind: 'already-done' });
  });

  it('lists the steps never done', () => {
    expect(skippedSteps(steps, new Set(['call-unit']))).toEqual(['check-video', 'inform-duty']);
  });
});
