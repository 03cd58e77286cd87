/**
 * What each refused rule means, in words for people: one table for the API (problem details in
 * Swedish) and the console. The API words its refusals in English with the figures involved and
 * names the rule; this table says the rule's meaning. English needs no table: the API's own sentence
 * is the English text. A rule id is stable (never renamed once released), so a key here never goes
 * stale; test/support/rule-names.ts finds every rule id in the sources and a spec fails on one
 * without a Swedish line. No imports: the console bundles this file as it is.
 */
export type RuleTextLocale = 'sv' | 'en';

const sv: Readonly<Record<string, string>> = {
  // Needs analysis and the policy's requirements
  labour_conditions:
    'Över tröskelvärdet ska behovet av arbetsrättsliga villkor bedömas: ange om de krävs och motivera.',
  sustainability_assessment:
    'En hållbarhetsbedömning krävs: ange kriterier och nivå, eller varför inga kriterier är tillämpliga.',
  sustainability_criteria_required: 'Organisationens policy kräver hållbarhetskriterier vid detta värde.',
  supply_preparedness: 'En bedömning av försörjningsberedskapen krävs, och vid hög kritikalitet även åtgärder.',
  lot_division_reason_missing: 'Upphandlingen delas inte upp i delkontrakt: skälen för det ska anges.',
  divide_or_justify: 'Organisationens policy kräver delkontrakt, eller skäl att inte dela upp, vid detta värde.',
  group_coordination_reason_missing:
    'Koncernen har redan pågående upphandlingar eller avtal i kategorin: ange varför detta upphandlas separat.',
  lot_values: 'Delkontraktens värden är tillsammans större än upphandlingens uppskattade värde.',
  follow_up_plan_required: 'Organisationens policy kräver en plan för avtalsuppföljningen.',
  // Procedures and the law's limits
  framework_term_exceeded: 'Ramavtalets löptid är längre än lagen tillåter utan särskilda skäl.',
  direct_award_limit: 'Värdet understiger inte gränsen för direktupphandling (19 a kap. 2 § LOU).',
  direct_award_aggregate_limit:
    'Tillsammans med organisationens andra direktupphandlingar av samma slag överstiger värdet gränsen för direktupphandling.',
  direct_award_quotes:
    'Vid detta värde kräver policyn dokumenterade offerter från flera leverantörer, och den valda leverantören ska vara en av dem.',
  direct_award_documentation_required:
    'Direktupphandlingen ska dokumenteras (19 a kap. 11 § LOU): fyll i dokumentationen.',
  negotiated_ground_missing:
    'Förfarandet får bara användas på en grund i lagen: ange grunden och varför den är tillämplig.',
  without_notice_ground_not_available: 'Grunden finns bara under tröskelvärdet (19 a kap. 5–7 §§ LOU).',
  without_notice: 'En upphandling utan föregående annonsering annonseras inte: bjud in de valda leverantörerna.',
  procedure_not_allowed: 'Förfarandet är inte tillåtet för denna upphandling.',
  procedure: 'Kommandot hör inte till denna upphandlings förfarande.',
  urgency_justification_missing: 'Ett brådskande förfarande behöver en motivering.',
  pin_date_missing: 'Kortare tidsfrister på grund av förhandsannons kräver datumet då förhandsannonsen skickades.',
  pin_out_of_range:
    'Förhandsannonsen förkortar bara tidsfristerna om den skickades minst 35 dagar och högst 12 månader före annonsen.',
  extension_after_change_too_short:
    'En väsentlig ändring av upphandlingsdokumenten kräver en längre anbudstid (11 kap. 8 § 2 p. LOU).',
  minimum_time_limit: 'Tidsfristen är kortare än den minsta som lagen eller policyn tillåter.',
  deadline_shortened: 'En publicerad tidsfrist får förlängas men aldrig förkortas.',
  ex_ante_waiting_period:
    'Avtal får inte ingås förrän tio dagar har gått sedan annonsen om avsikt publicerades (20 kap. 3 § LOU).',
  ex_ante_notice_supplier: 'Annonsen om avsikt att ingå avtal gällde en annan leverantör.',
  already_recorded: 'Annonsen om avsikt att ingå avtal är redan registrerad.',
  contract_registered: 'Avtalet är redan registrerat; annonsen om avsikt skulle ha kommit före det.',
  date_before_tender: 'Datumet ligger före upphandlingens start.',
  rule_set_gap: 'Regelverket saknar uppgifter för detta datum; en administratör behöver lägga till dem.',
  // Gates, authority and who may act
  approval_limit: 'Din beloppsgräns räcker inte för upphandlingens värde.',
  four_eyes: 'Du begärde själv beslutet; en annan person måste fatta det (fyraögonsprincipen).',
  dual_approval_same_approver:
    'Vid detta värde kräver delegationsordningen ytterligare en beslutsfattare, som inte är du.',
  evaluator_excluded: 'Du är utvärderare i upphandlingen och får inte fatta dess beslut.',
  gate_not_pending: 'Inget sådant beslut väntar.',
  gate_pending: 'Beslutet är redan begärt.',
  cancellation_pending: 'Ett beslut om att avbryta upphandlingen väntar och fattas först.',
  already_approved: 'Upphandlingsdokumenten är redan godkända; publicera dem.',
  // The requirements register and the assessment of the tenders
  requirements_frozen:
    'Kravregistret ändras inte medan upphandlingsdokumenten väntar på godkännande eller sedan de godkänts.',
  requirements_limit: 'Kravregistret rymmer högst 500 krav.',
  follow_up_limit: 'Högst 50 krav följs upp som kontroller av avtalet.',
  already_withdrawn: 'Kravet är redan struket ur kravregistret.',
  award_model_mixed:
    'Utvärderingskriterierna för ett delkontrakt följer en modell: vikter eller mervärdesavdrag, inte båda.',
  award_weights_total: 'Kvalitetskriteriernas vikter ska tillsammans vara under 100; priset får resten.',
  requirements_unanswered: 'Varje ska-krav som gäller anbudet ska prövas: uppfyllt eller inte.',
  not_a_mandatory_requirement: 'Kravet är inget ska-krav i kravregistret som gäller detta anbud.',
  admitted_with_failure:
    'Ett anbud som har en uteslutningsgrund, inte är kvalificerat, inte uppfyller ett ska-krav eller har ett förkastat onormalt lågt pris kan inte gå vidare till utvärdering.',
  assessments_missing: 'Alla anbud som kommit in i tid ska prövas innan utvärderingen lämnas.',
  supplier_rejected: 'Ett anbud som förkastats vid prövningen kan inte föreslås för tilldelning.',
  // Scores, consensus and the computed ranking
  supplier_not_admitted:
    'Anbudet går inte vidare till utvärdering: det kom in för sent eller förkastades vid prövningen.',
  no_award_criteria:
    'Delkontraktet har inga utvärderingskriterier i kravregistret: lägsta pris avgör, inget poängsätts.',
  not_an_award_criterion: 'Kriteriet är inget utvärderingskriterium i kravregistret för detta delkontrakt.',
  score_out_of_scale: 'Poängen ligger utanför kriteriets skala.',
  criteria_unscored: 'Varje utvärderingskriterium som gäller delkontraktet ska poängsättas.',
  not_a_declared_evaluator:
    'Poäng sätts av en utsedd utvärderare som har lämnat sin jävsdeklaration utan jäv (4 kap. 4 § LOU).',
  consensus_recorded: 'Konsensuspoängen för anbudet är registrerade; utvärderarnas poäng är stängda.',
  independent_scores_missing: 'Varje utvärderare poängsätter anbudet på egen hand innan konsensus registreras.',
  ranking_incomplete:
    'Rangordningen väntar på pris och konsensuspoäng för varje anbud som går vidare till utvärdering.',
  not_the_computed_winner: 'Förslaget ska vara det anbud som utvärderingsmodellen rangordnar först.',
  score_not_computed: 'Poängen i förslaget är utvärderingsmodellens summa, inte en poäng som skrivs in för hand.',
  red_flag_justification:
    'Varningsflaggor har räknats fram för tilldelningen: att godkänna den kräver en skriftlig motivering.',
  documents_not_approved: 'Upphandlingsdokumenten är inte godkända.',
  role: 'Din roll får inte utföra detta.',
  organization: 'Ärendet tillhör en annan organisation än den du företräder.',
  own_body_only: 'Du får bara svara för den organisation du företräder.',
  own_organization: 'Den egna organisationen kan inte bjudas in till sin egen upphandling.',
  other_organization: 'En person hör till en enda organisation; personen finns redan i en annan.',
  phase: 'Det går inte i upphandlingens nuvarande fas.',
  tender_ended: 'Upphandlingen är avslutad och tar inte emot fler kommandon.',
  // Tendering: periods, questions, invitations
  no_running_period: 'Ingen tidsfrist löper som kan förlängas.',
  stage: 'Det går inte i detta skede av upphandlingen.',
  question_cutoff: 'Tiden för frågor har gått ut.',
  request_deadline: 'Anbudsansökningar tas inte längre emot.',
  already_answered: 'Svaret är redan lämnat.',
  already_invited: 'Myndigheten är redan inbjuden.',
  not_invited: 'Organisationen eller leverantören är inte inbjuden till denna upphandling.',
  mandate_required: 'En myndighet som ansluter sig behöver en fullmakt: ange dess referens.',
  response_deadline_passed: 'Svarstiden har gått ut; myndigheten registreras som inte ansluten.',
  child_exists: 'Ett arbetsflöde med samma id körs redan för upphandlingen; inget ändrades.',
  duplicate: 'Samma uppgift är angiven två gånger.',
  // Opening, evaluation and award
  two_openers: 'Minst två olika personer som myndigheten utsett ska öppna anbuden.',
  conflict_of_interest: 'Personen har anmält jäv och kan inte delta.',
  conflict_declarations_required: 'Alla utvärderare ska lämna en jävsdeklaration före utvärderingen.',
  already_declared: 'Din jävsdeklaration är redan inlämnad.',
  already_appointed: 'Personen är redan utsedd till utvärderare.',
  evaluators_required: 'Ingen utvärderare utan jäv är utsedd.',
  not_an_evaluator: 'Du är inte utsedd utvärderare i denna upphandling.',
  supplier_not_a_tenderer: 'Leverantören har inte lämnat något giltigt anbud.',
  abnormally_low_rejected: 'Ett anbud som förkastats som onormalt lågt kan inte antas.',
  awarded_supplier: 'Leverantören är inte den som tilldelades kontraktet.',
  winner_not_a_tenderer: 'Den valda leverantören finns inte bland de tillfrågade som lämnade anbud.',
  winner_not_contract_supplier: 'Den valda leverantören är inte den som avtalet tecknades med.',
  price_without_tender: 'Ett pris kan bara anges för en leverantör som lämnade anbud.',
  date_in_future: 'Datumet ligger efter dagens datum.',
  date_in_past: 'Datumet har redan passerat.',
  date_too_far_ahead: 'Datumet ligger för långt fram i tiden.',
  // The contract and its follow-up
  contract_dates: 'Avtalets datum hänger inte ihop (undertecknande, start och slut).',
  contract_term_beyond_declared:
    'Avtalets löptid med optioner är längre än den upphandlingen angav (avtalstid och optioner).',
  contract_term_limit: 'Avtalets löptid med optioner är längre än policyns högsta avtalstid.',
  contract_value_above_award: 'Avtalets värde är högre än tilldelningsbeslutet medger.',
  contract_value_above_approval_limit: 'Avtalets värde är högre än beslutsfattarens beloppsgräns.',
  signed_before_award: 'Avtalet kan inte vara undertecknat före tilldelningsbeslutet.',
  signed_during_standstill: 'Avtalet får inte undertecknas under avtalsspärren.',
  signed_in_future: 'Undertecknandets datum ligger efter dagens datum.',
  contract_ended: 'Avtalet har löpt ut och kan inte längre förlängas.',
  extension_within_options: 'En förlängning måste rymmas inom avtalets återstående optioner.',
  milestone_closed: 'Uppföljningspunkten är redan avslutad.',
  changes_limit: 'Ett avtal kan ha högst 50 registrerade ändringar.',
  change_overall_nature:
    'En ändring som ändrar avtalets övergripande karaktär kräver en ny upphandling (17 kap. 8 § LOU).',
  threshold_unconfirmed:
    'Tröskelvärdet saknar ett bekräftat belopp i kronor, så det går inte att visa att ändringen understiger det.',
  change_above_low_value:
    'Ändringarnas sammanlagda nettovärde ska understiga både tröskelvärdet och 10 procent av värdet (15 procent för byggentreprenad).',
  review_clause_missing: 'En ändring enligt en ändringsklausul anger var klausulen står i upphandlingsdokumenten.',
  additional_not_framework: 'Kompletterande beställningar enligt 17 kap. 11 § gäller kontrakt, inte ramavtal.',
  change_above_half: 'En ändring får öka värdet med högst 50 procent, varje ändring för sig.',
  successor_missing: 'Ett leverantörsbyte enligt 17 kap. 13 § anger den nya leverantören.',
  succession_changes_value: 'Ett leverantörsbyte ändrar inget annat än leverantören.',
  substantial_tests_missing: 'En ändring enligt 17 kap. 14 § besvarar varje prövning av om ändringen är väsentlig.',
  substantial_change: 'Ändringen är väsentlig och kräver en ny upphandling (17 kap. 8 och 14 §§ LOU).',
  corrective_due_date: 'Den korrigerande åtgärden ska vara klar efter i dag och senast inom 365 dagar.',
  sanction_not_declared: 'Avtalet förbehåller sig inte den sanktionen; bara avtalets egna sanktioner kan beslutas.',
  sanction_amount_limit: 'Beloppet går över vad avtalets klausul tillåter för en avvikelse.',
  reprocurement_refused: 'Den nya upphandlingen kan inte startas.',
  // Organisations, people and policy
  authority_org_number_missing: 'Organisationens organisationsnummer saknas i organisationsregistret.',
  org_number_check_digit: 'Organisationsnumret är inte giltigt: kontrollsiffran stämmer inte.',
  ownership_cycle: 'Organisationen skulle äga sig själv genom koncernens ägarled.',
  unknown_organisation: 'Organisationen finns inte i organisationsregistret.',
  unknown_category: 'Kategorin finns inte hos organisationen.',
  duplicate_category: 'Kategorin är angiven mer än en gång.',
  policy_consistency: 'Policyns regler motsäger varandra.',
  call_off_only: 'Förnyad konkurrensutsättning gäller bara avrop från ett ramavtal.',
  // The delegation order
  delegation_limit: 'Delegationens beloppsgräns ska vara ett positivt belopp, antingen i kronor eller i prisbasbelopp.',
  delegation_substitute:
    'Varje punkt i delegationsordningen ska ange en ersättare: en namngiven funktion eller närmaste chef, inte delegaten själv.',
  further_delegation_targets:
    'Vidaredelegation ska ange till vilka funktioner den får ske, och inga funktioner när vidaredelegation inte är tillåten.',
  delegation_ambiguous:
    'Två punkter ger samma beslut, på samma villkor och med samma beloppsgräns, till olika funktioner.',
  // Functions and absences (delegation to functions, issue 29)
  unknown_function: 'Funktionen finns inte i organisationens register över funktioner.',
  function_superior_cycle: 'En funktion kan inte vara överordnad sig själv, direkt eller genom andra funktioner.',
  function_periods_overlap: 'Samma funktion är angiven två gånger för samma dagar.',
  date_order: 'Slutdagen ligger före startdagen.',
  own_absence: 'Du registrerar och återkallar din egen frånvaro; en administratör andras.',
  absence_overlap: 'Personen är redan frånvarande någon av dagarna.',
  absence_started: 'Frånvaron har redan börjat och kan inte återkallas.',
  substitute_self: 'Ersättaren kan inte vara den frånvarande personen själv.',
  substitute_unknown: 'Ersättaren ska vara en aktiv person i samma organisation.',
  // Gates by the delegation order, and its register (issue 29)
  delegation_order:
    'Enligt delegationsordningen fattas beslutet av en annan funktion, dess vidaredelegater eller en ersättare under frånvaro; du har ingen av dem i dag.',
  delegation_board: 'Ingen punkt i delegationsordningen täcker värdet: beslutet fattas av nämnden eller styrelsen.',
  nothing_to_report: 'Inget beslut under perioden väntar på att anmälas.',
  period: 'Periodens slutdag ligger före dess första dag.',
  // Requests: shape and stored text
  required: 'Uppgiften krävs.',
  type: 'Värdet har fel typ.',
  enum: 'Värdet är inte ett av de tillåtna.',
  whole_sek: 'Beloppet ska vara hela kronor, noll eller mer.',
  too_long: 'Texten är för lång.',
  unique: 'Samma värde förekommer mer än en gång.',
  format: 'Värdet har fel format.',
  email: 'Ange en e-postadress (namn@domän), högst 254 tecken.',
  domain: 'Värdet ligger utanför det som kan beräknas.',
  calendar_date: 'Datumet finns inte i kalendern.',
  unknown_field: 'Fältet är okänt och tas inte emot.',
  not_null: 'Värdet får inte vara null.',
  max_depth: 'Begärans innehåll är nästlat i för många nivåer.',
  nul_character: 'Texten innehåller ett nolltecken, som inte kan sparas.',
  lone_surrogate: 'Texten innehåller ett ogiltigt tecken, som inte kan sparas.',
  control_character: 'Texten innehåller ett styrtecken, som inte kan sparas.',
  malformed_encoding: 'Texten är inte giltigt kodad UTF-8.',
  unstorable: 'Kommandot kunde inte sparas.',
  idempotency_key_reuse: 'Idempotency-Key har redan använts med en annan begäran.',
  // Commands the API vouches for
  actor_claims: 'Kommandot saknar en giltig användare.',
  unsigned_command: 'Kommandot är inte signerat av API:t; bara kommandon som API:t går i god för tas emot.',
  unknown_command_key: 'Kommandot är signerat med en okänd nyckel.',
  bad_signature: 'Kommandots signatur stämmer inte.',
  replayed_command: 'Ett signerat kommando gäller en gång; detta har redan använts.',
  expired_command: 'Kommandots signatur har gått ut.',
};

export const RULE_EXPLANATIONS: Readonly<Record<RuleTextLocale, Readonly<Record<string, string>>>> = { sv, en: {} };

/** The rule's meaning in the language, or undefined when the table has no line (always for English). */
export function ruleText(locale: RuleTextLocale, rule: string | undefined): string | undefined {
  return rule !== undefined && Object.hasOwn(RULE_EXPLANATIONS[locale], rule)
    ? RULE_EXPLANATIONS[locale][rule]
    : undefined;
}
