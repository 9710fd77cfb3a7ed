export * from './infra';
export * from './probe';
export * from './builders';
export * from './app';
export * from './kafka';
export * from './http';
