export * from './ids';
export * from './search-attributes';
