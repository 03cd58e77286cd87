/** Bad input to a domain function (not a rule violation); the API maps it to 400. */
export class DomainInputError extends Error {
  override readonly name = 'DomainInputError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
