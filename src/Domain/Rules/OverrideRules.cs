namespace BudgetActors.Domain;

/// <summary>What a request for an override must satisfy.</summary>
public static class OverrideRules
{
    public const int MaxReasonLength = 500;
    public const int MaxDurationMinutes = 366 * 24 * 60;

    public static RequestErrors ValidateRequest(Amount? raise, string? reason, int? durationMinutes, RequestErrors? errors = null)
    {
        errors ??= new();
        if (raise is null)
        {
            errors.Add("raise", "Required: { cost?, tokens?, operations? }, how much higher the limits go.");
        }
        else
        {
            RequestRules.Amount(raise, "raise", errors);
            if (raise is { Cost: 0m, Tokens: 0, Operations: 0 })
            {
                errors.Add("raise", "Must raise at least one metric.");
            }
        }

        Reason(reason, errors);
        if (durationMinutes is < 1 or > MaxDurationMinutes)
        {
            errors.Add("durationMinutes", $"Whole minutes from 1 to {MaxDurationMinutes} (a year), or none: until the period ends.");
        }

        return errors;
    }

    /// <summary>Why someone asks (an override, an emergency, a reset): said in words, briefly.</summary>
    public static void Reason(string? reason, RequestErrors errors)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            errors.Add("reason", $"Required: 1 to {MaxReasonLength} characters, no control characters.");
        }
    }
}
