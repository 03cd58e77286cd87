import { ArgumentMetadata, HttpException } from '@nestjs/common';
import type { ProblemDetails } from '../../common/problem';
import { createValidationPipe } from '../../common/validation';
import type {
  AnswerQuestionPayload,
  AppointEvaluatorsPayload,
  AskQuestionPayload,
  ContractPayload,
  DecideGatePayload,
  DeclareConflictPayload,
  ExtendDeadlinePayload,
  FileReviewPayload,
  InviteToNegotiatePayload,
  NeedsAnalysisPayload,
  RecordExAnteNoticePayload,
  PublishPayload,
  RecordOpeningPayload,
  RecordRulingPayload,
  RegisterDocumentsPayload,
  RequestCancellationPayload,
  RespondToInvitationPayload,
  SelectCandidatesPayload,
  SubmitEvaluationPayload,
  AssessTenderPayload,
  RegisterRequirementPayload,
  WithdrawRequirementPayload,
} from '@tenderflow/temporal-common/tender-types';
import { AnswerQuestionDto } from './answer-question.dto';
import { AppointEvaluatorsDto } from './appoint-evaluators.dto';
import { AskQuestionDto } from './ask-question.dto';
import { CompleteNeedsAnalysisDto, toNeedsAnalysisPayload } from './complete-needs-analysis.dto';
import { DecideGateDto } from './decide-gate.dto';
import { DeclareConflictDto } from './declare-conflict.dto';
import { ExtendDeadlineDto } from './extend-deadline.dto';
import { FileReviewDto } from './file-review.dto';
import { ISO_INSTANT, PathOneOf, TenderIdParam } from '../../common/params';
import { PublishDto } from './publish.dto';
import { RecordOpeningDto } from './record-opening.dto';
import { RecordRulingDto } from './record-ruling.dto';
import { RegisterContractDto } from './register-contract.dto';
import { RegisterDocumentsDto } from './register-documents.dto';
import { RequestCancellationDto } from './request-cancellation.dto';
import { RespondToInvitationDto } from './respond-to-invitation.dto';
import { SelectCandidatesDto } from './select-candidates.dto';
import { AssessTenderDto } from './assess-tender.dto';
import { RegisterRequirementDto, WithdrawRequirementDto } from './register-requirement.dto';
import { SubmitEvaluationDto } from './submit-evaluation.dto';
import { InviteToNegotiateDto, RecordExAnteNoticeDto } from './without-notice.dto';

// Compile-time: each DTO has exactly the payload's fields, less those taken from the path.
type Same<D, P> = [Exclude<keyof D, keyof P>, Exclude<keyof P, keyof D>] extends [never, never]
  ? true
  : { extra: Exclude<keyof D, keyof P>; missing: Exclude<keyof P, keyof D> };
const mirrors: Record<string, true> = {
  completeNeedsAnalysis: true satisfies Same<CompleteNeedsAnalysisDto, NeedsAnalysisPayload>,
  registerDocuments: true satisfies Same<RegisterDocumentsDto, RegisterDocumentsPayload>,
  publish: true satisfies Same<PublishDto, PublishPayload>,
  selectCandidates: true satisfies Same<SelectCandidatesDto, SelectCandidatesPayload>,
  inviteToNegotiate: true satisfies Same<InviteToNegotiateDto, InviteToNegotiatePayload>,
  recordExAnteNotice: true satisfies Same<RecordExAnteNoticeDto, RecordExAnteNoticePayload>,
  extendDeadline: true satisfies Same<ExtendDeadlineDto, ExtendDeadlinePayload>,
  askQuestion: true satisfies Same<AskQuestionDto, AskQuestionPayload>,
  answerQuestion: true satisfies Same<AnswerQuestionDto, Omit<AnswerQuestionPayload, 'questionId'>>,
  appointEvaluators: true satisfies Same<AppointEvaluatorsDto, AppointEvaluatorsPayload>,
  recordOpening: true satisfies Same<RecordOpeningDto, RecordOpeningPayload>,
  declareConflict: true satisfies Same<DeclareConflictDto, DeclareConflictPayload>,
  submitEvaluation: true satisfies Same<SubmitEvaluationDto, SubmitEvaluationPayload>,
  fileReview: true satisfies Same<FileReviewDto, FileReviewPayload>,
  recordRuling: true satisfies Same<RecordRulingDto, Omit<RecordRulingPayload, 'reviewId'>>,
  registerContract: true satisfies Same<RegisterContractDto, ContractPayload>,
  requestCancellation: true satisfies Same<RequestCancellationDto, RequestCancellationPayload>,
  // authority is the API's, from the directory: never the caller's.
  decideGate: true satisfies Same<DecideGateDto, Omit<DecideGatePayload, 'gate' | 'authority'>>,
  respondToInvitation: true satisfies Same<RespondToInvitationDto, Omit<RespondToInvitationPayload, 'organization'>>,
  registerRequirement: true satisfies Same<RegisterRequirementDto, RegisterRequirementPayload>,
  withdrawRequirement: true satisfies Same<WithdrawRequirementDto, Omit<WithdrawRequirementPayload, 'requirementId'>>,
  assessTender: true satisfies Same<AssessTenderDto, AssessTenderPayload>,
};

const pipe = createValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

async function fieldsRefused(metatype: ArgumentMetadata['metatype'], value: unknown): Promise<string[]> {
  try {
    await pipe.transform(value, body(metatype));
  } catch (err) {
    expect(err).toBeInstanceOf(HttpException);
    const problem = (err as HttpException).getResponse() as ProblemDetails;
    expect(problem.status).toBe(400);
    return (problem.errors ?? []).map((e) => `${e.field}:${e.rule}`);
  }
  return [];
}

const needs = {
  sustainability: { criteria: ['Fossil-free transport'], level: 'bas' },
  laborConditions: { required: true, justification: 'Cleaning services carry a risk' },
  supplyPreparedness: { criticality: 'medium' },
  lotJustification: 'One supplier must guarantee compatibility',
};

describe('command DTOs', () => {
  it('mirror their workflow payloads field for field (checked by the compiler)', () => {
    // The tender's commands and the partner's answer (delivered to the body's coordination workflow).
    expect(Object.keys(mirrors)).toHaveLength(22);
  });

  it('accept a complete needs analysis and narrow the sustainability union for the workflow', async () => {
    const dto = await pipe.transform(needs, body(CompleteNeedsAnalysisDto));
    expect(toNeedsAnalysisPayload(dto).sustainability).toEqual({ criteria: ['Fossil-free transport'], level: 'bas' });
    const reasoned = await pipe.transform(
      { ...needs, sustainability: { notApplicableReason: 'Licences only' } },
      body(CompleteNeedsAnalysisDto),
    );
    expect(toNeedsAnalysisPayload(reasoned).sustainability).toEqual({ notApplicableReason: 'Licences only' });
  });

  it('refuse a sustainability assessment that is neither form, or both', async () => {
    expect(await fieldsRefused(CompleteNeedsAnalysisDto, { ...needs, sustainability: {} })).toEqual(
      expect.arrayContaining(['sustainability.criteria:isArray', 'sustainability.level:isIn']),
    );
    expect(
      await fieldsRefused(CompleteNeedsAnalysisDto, {
        ...needs,
        sustainability: { criteria: ['x'], level: 'bas', notApplicableReason: 'none' },
      }),
    ).toEqual(['sustainability.notApplicableReason:exclusive']);
  });

  it('name nested and unknown fields', async () => {
    const refused = await fieldsRefused(CompleteNeedsAnalysisDto, {
      ...needs,
      supplyPreparedness: { criticality: 'extreme' },
      lots: [{ title: '', estimatedValueSek: 1.5 }],
      colour: 'red',
    });
    expect(refused).toEqual(
      expect.arrayContaining([
        'supplyPreparedness.criticality:isIn',
        'lots.0.title:isLength',
        'lots.0.estimatedValueSek:isInt',
        'colour:unknown_field',
      ]),
    );
  });

  it('leave procurement rules to the workflow (it answers 422 naming the rule): no labour conditions, no lots, empty criteria', async () => {
    const { laborConditions: _l, lotJustification: _j, ...bare } = needs;
    expect(
      await fieldsRefused(CompleteNeedsAnalysisDto, { ...bare, sustainability: { criteria: [], level: 'bas' } }),
    ).toEqual([]);
    expect(await fieldsRefused(RecordOpeningDto, { openers: ['anna'], tenders: [] })).toEqual([]);
    expect(await fieldsRefused(RespondToInvitationDto, { answer: 'join' })).toEqual([]);
  });

  it('take dates as YYYY-MM-DD days that exist, and instants as ISO 8601', async () => {
    expect(await fieldsRefused(ExtendDeadlineDto, { deadline: '2026-02-30', reason: 'more time' })).toEqual([
      'deadline:isIsoDate',
    ]);
    expect(await fieldsRefused(ExtendDeadlineDto, { deadline: '30/10/2026', reason: 'more time' })).toEqual([
      'deadline:isIsoDate',
    ]);
    expect(await fieldsRefused(PublishDto, { deadline: '2026-10-30' })).toEqual([]);
    expect(
      await fieldsRefused(RecordOpeningDto, {
        openers: ['a', 'b'],
        tenders: [{ supplier: 'Lab AB', receivedAt: 'yesterday' }],
      }),
    ).toEqual(['tenders.0.receivedAt:isInstant']);
    expect(
      await fieldsRefused(RecordOpeningDto, {
        openers: ['a', 'b'],
        tenders: [{ supplier: 'Lab AB', receivedAt: '2026-02-30T10:00:00Z' }],
      }),
    ).toEqual(['tenders.0.receivedAt:isInstant']);
    expect(
      await fieldsRefused(RecordOpeningDto, {
        openers: ['a', 'b'],
        tenders: [{ supplier: 'Lab AB', receivedAt: '2028-02-29T23:59:59.5+01:00' }],
      }),
    ).toEqual([]);
    expect(await fieldsRefused(PublishDto, { deadline: '2028-02-29' })).toEqual([]);
    expect(await fieldsRefused(PublishDto, { deadline: '2100-02-29' })).toEqual(['deadline:isIsoDate']);
    expect(await fieldsRefused(PublishDto, { deadline: '2000-02-29' })).toEqual([]);
    // The pattern OpenAPI publishes: fractions of a second follow a dot, nothing else.
    expect(ISO_INSTANT.test('2026-10-30T10:00:00.5Z')).toBe(true);
    expect(ISO_INSTANT.test('2026-10-30T10:00:00x5Z')).toBe(false);
  });

  it('refuse a contract whose dates do not fit together (contract_dates, the rule the workflow applies too)', async () => {
    const signed = {
      supplier: 'Lab AB',
      valueSek: 100,
      startDate: '2027-01-01',
      endDate: '2028-12-31',
      signedAt: '2026-12-01',
    };
    expect(await fieldsRefused(RegisterContractDto, signed)).toEqual([]);
    expect(await fieldsRefused(RegisterContractDto, { ...signed, endDate: '2026-12-31' })).toEqual([
      'endDate:contract_dates',
    ]);
    expect(await fieldsRefused(RegisterContractDto, { ...signed, signedAt: '2029-01-01' })).toEqual([
      'signedAt:contract_dates',
    ]);
    // A retroactive start is a contract too.
    expect(await fieldsRefused(RegisterContractDto, { ...signed, startDate: '2026-11-01' })).toEqual([]);
    // A malformed date is named as such, not as incoherent.
    expect(await fieldsRefused(RegisterContractDto, { ...signed, endDate: '2028-02-30' })).toEqual([
      'endDate:isIsoDate',
    ]);
  });

  it('need a comment to reject or request changes at a gate, not to approve', async () => {
    expect(await fieldsRefused(DecideGateDto, { decision: 'approve' })).toEqual([]);
    expect(await fieldsRefused(DecideGateDto, { decision: 'reject' })).toEqual(
      expect.arrayContaining(['comment:isString']),
    );
    expect(await fieldsRefused(DecideGateDto, { decision: 'maybe', noticeChannel: 'pigeon' })).toEqual([
      'decision:isIn',
      'noticeChannel:isIn',
    ]);
  });

  it('bound arrays and strings', async () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ title: `d${i}`, reference: `r${i}` }));
    expect(await fieldsRefused(RegisterDocumentsDto, { documents: many })).toEqual(['documents:arrayMaxSize']);
    expect(await fieldsRefused(RegisterDocumentsDto, { documents: [] })).toEqual(['documents:arrayMinSize']);
    expect(await fieldsRefused(RequestCancellationDto, { reason: 'x'.repeat(2001) })).toEqual(['reason:isLength']);
  });
});

describe('path parameters', () => {
  it('a tender id is ORG-YYYY-NNNNN; anything else is a 400 naming `id`', () => {
    expect(TenderIdParam.transform('HSN-2026-00042', { type: 'param' })).toBe('HSN-2026-00042');
    try {
      TenderIdParam.transform('hsn-42', { type: 'param' });
      throw new Error('not refused');
    } catch (err) {
      const problem = (err as HttpException).getResponse() as ProblemDetails;
      expect(problem).toMatchObject({ status: 400, errors: [{ field: 'id', rule: 'format' }] });
    }
  });

  it('a gate is one of GATES; anything else is a 400 naming `gate`', () => {
    const gate = new PathOneOf('gate', ['decision_to_procure', 'documents_approval'] as const);
    expect(gate.transform('documents_approval', { type: 'param' })).toBe('documents_approval');
    expect(() => gate.transform('lunch', { type: 'param' })).toThrow(HttpException);
  });
});
