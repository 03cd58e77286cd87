export * from './data-source-options';
export * from './entities';
export * from './canonical-json';
export * from './audit-chain';
export * from './direct-award-ledger';
