using System.Collections.Immutable;
using BudgetActors.Domain;

namespace BudgetActors;

/// <summary>
/// A refusal that callers are expected to handle: it crosses grain calls intact, and the HTTP host
/// maps its <see cref="Kind"/> to a status (404, 409, 400). An invalid request names each field that
/// is wrong in <see cref="Errors"/>, with the API's field names, whichever door it came through.
/// </summary>
[GenerateSerializer, Alias("BudgetActors.BudgetActorsException")]
public sealed class BudgetActorsException(ProblemKind kind, string message, ImmutableSortedDictionary<string, ImmutableArray<string>>? errors = null)
    : Exception(message)
{
    [Id(0)]
    public ProblemKind Kind { get; } = kind;

    /// <summary>Field → what is wrong with it; empty unless the request was invalid.</summary>
    [Id(1)]
    public ImmutableSortedDictionary<string, ImmutableArray<string>> Errors { get; } =
        errors ?? ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>A stable, machine-readable code for <see cref="Kind"/>: <c>invalid-request</c>, <c>conflict</c>, …</summary>
    public string Code => Kind switch
    {
        ProblemKind.TenantNotFound => "tenant-not-found",
        ProblemKind.BudgetNotFound => "budget-not-found",
        ProblemKind.ReservationNotFound => "reservation-not-found",
        ProblemKind.Conflict => "conflict",
        ProblemKind.NotFound => "not-found",
        ProblemKind.Forbidden => "forbidden",
        _ => "invalid-request",
    };

    public static BudgetActorsException TenantNotFound(string tenantId) =>
        new(ProblemKind.TenantNotFound, $"Tenant '{tenantId}' does not exist.");

    public static BudgetActorsException BudgetNotFound(string budgetId) =>
        new(ProblemKind.BudgetNotFound, $"Budget '{budgetId}' does not exist.");

    public static BudgetActorsException NotFound(string what) => new(ProblemKind.NotFound, $"{what} does not exist.");

    public static BudgetActorsException ReservationNotFound(string reservationId) =>
        new(ProblemKind.ReservationNotFound, $"Reservation '{reservationId}' does not exist.");

    /// <summary>A request the rules refuse; nothing was changed.</summary>
    public static BudgetActorsException Invalid(RequestErrors errors) =>
        new(ProblemKind.InvalidRequest, "One or more fields are invalid: " + errors, errors.ToImmutable());

    public static BudgetActorsException Invalid(string field, string message)
    {
        var errors = new RequestErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    /// <summary>Throws when <paramref name="errors"/> names anything.</summary>
    public static void ThrowIfAny(RequestErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw Invalid(errors);
        }
    }
}
