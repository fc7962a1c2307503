import { remindStage } from './deadlines.service';

describe('remindStage', () => {
  it.each([
    ['PENDING', 'MANDATORY', false, 'receipt'],
    ['SENT', 'VOLUNTARY', false, 'receipt'],
    ['RECEIVED', 'PROTECTED', true, 'report'],
    ['OVERDUE', 'MANDATORY', false, 'receipt'],
    ['OVERDUE', 'MANDATORY', true, 'report'],
    ['EXECUTED', 'MANDATORY', true, null],
    ['LIFTED', 'MANDATORY', false, null],
    ['SUPERSEDED', 'MANDATORY', false, null],
    ['SCHEDULED', 'MANDATORY', false, null],
    ['SENT', 'LIFT', false, null],
  ] as const)('%s %s received=%s → %s', (state, noticeType, received, stage) => {
    expect(remindStage(state, noticeType, received)).toBe(stage);
  });
});
