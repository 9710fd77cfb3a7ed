// The platform's fee schedule (CAT-2, PAY-10) and order pricing (ORD-3..ORD-5): shared by catalog
// (publishes the schedule, checks included fees fit a price), orders (prices checkouts) and, later,
// payouts and refunds (PAY-13), so every service computes the same figures.
export * from './fee-schedule';
export * from './order-pricing';
