namespace BudgetActors.Domain;

/// <summary>One budget's answer to one request, before it is worded.</summary>
/// <param name="Metric">The metric that decided (see <see cref="BudgetReason.Metric"/>).</param>
/// <param name="Limit">That metric's limit in force (or cap).</param>
public readonly record struct Admission(
    Decision Decision,
    decimal? ThrottleFactor,
    string? DowngradeTo,
    AdmissionCause Cause,
    string Metric,
    decimal? Limit);
