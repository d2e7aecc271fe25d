namespace BudgetActors.Alerts;

/// <summary>One try at one delivery: the request, which try this is (1 = the first), and when it is made.</summary>
public sealed record DeliveryAttempt(DeliveryRequest Request, int Attempt, DateTimeOffset At);
