import { problemOf } from './problem.filter';

describe('problemOf', () => {
  it('keeps extra members beside the standard ones', () => {
    expect(problemOf(409, 'sold_out', 'No seats left.', { available: 0 })).toEqual({
      type: 'https://docs.ticketry.dev/problems/sold_out',
      title: 'Conflict',
      status: 409,
      detail: 'No seats left.',
      code: 'sold_out',
      available: 0,
    });
  });

  it('never lets an extra member replace status, code, type, title or detail', () => {
    const body = problemOf(409, 'payment_not_refundable', 'Not captured.', {
      status: 'authorized',
      code: 'other',
      type: 'x',
      title: 'y',
      detail: 'z',
    });
    expect(body).toMatchObject({
      status: 409,
      code: 'payment_not_refundable',
      type: 'https://docs.ticketry.dev/problems/payment_not_refundable',
      title: 'Conflict',
      detail: 'Not captured.',
    });
  });
});
