export * from './recipients';
export * from './render';
export * from './calendar';
