namespace BudgetActors.WebhookReceiver;

public enum Verdict
{
    Valid,
    MissingHeaders,
    StaleTimestamp,
    BadSignature,
}
