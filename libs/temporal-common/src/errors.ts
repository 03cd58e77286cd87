/** ApplicationFailure type of a write PostgreSQL refuses for good: activities throw it, workflows refuse the step. */
export const PERMANENT_DB_ERROR = 'PermanentDatabaseError';
