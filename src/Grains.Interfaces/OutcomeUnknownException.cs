namespace BudgetActors;

/// <summary>
/// The ledger did not confirm a write and could not be asked whether it landed: the request may or
/// may not have been recorded. Retrying with the same idempotency key is safe and gives the answer;
/// the HTTP host maps this to 503.
/// </summary>
[GenerateSerializer, Alias("BudgetActors.OutcomeUnknownException")]
public sealed class OutcomeUnknownException(string message, Exception? inner = null) : Exception(message, inner);
