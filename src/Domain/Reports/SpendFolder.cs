using NodaTime;

namespace BudgetActors.Domain.Reports;

/// <summary>
/// Folds charges into daily aggregate rows (see <see cref="SpendDimension"/> for which rows a charge
/// touches). A charge's day is the date of its time in the tenant's zone, so late usage lands in its
/// own day. The result is the rows' deltas: a store merges them into what it keeps.
/// </summary>
public sealed class SpendFolder
{
    private static readonly string[] AttributeDimensions = [SpendDimension.Queue, SpendDimension.Model, SpendDimension.User, SpendDimension.Project];

    public Dictionary<AggregateKey, SpendAggregate> Deltas { get; } = [];

    /// <param name="timeZone">The tenant's IANA zone; an unknown one counts days in UTC.</param>
    public void Add(SpendFact fact, string timeZone)
    {
        var day = DayOf(fact.At, timeZone);
        AddRows(fact, SpendDimension.WholeTenant, day, tenantRows: true);
        foreach (var budget in fact.BudgetIds)
        {
            AddRows(fact, budget, day, tenantRows: false);
        }
    }

    /// <summary>The date of an instant in a zone (UTC when the zone is unknown).</summary>
    public static DateOnly DayOf(DateTimeOffset at, string timeZone)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc;
        var date = Instant.FromDateTimeOffset(at).InZone(zone).Date;
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    private void AddRows(SpendFact fact, string budget, DateOnly day, bool tenantRows)
    {
        Add(new AggregateKey(fact.TenantId, budget, SpendDimension.Total, "", day), fact);
        foreach (var dimension in AttributeDimensions)
        {
            Add(new AggregateKey(fact.TenantId, budget, dimension, SpendDimension.ValueOf(dimension, fact.Attributes, fact.Detail) ?? "", day), fact);
        }

        if (!tenantRows)
        {
            return;
        }

        if (fact.BudgetIds.IsDefaultOrEmpty)
        {
            Add(new AggregateKey(fact.TenantId, budget, SpendDimension.Budget, "", day), fact);
        }
        else
        {
            foreach (var charged in fact.BudgetIds)
            {
                Add(new AggregateKey(fact.TenantId, budget, SpendDimension.Budget, charged, day), fact);
            }
        }

        if (SpendDimension.ValueOf(SpendDimension.User, fact.Attributes, fact.Detail) is { } user
            && SpendDimension.ValueOf(SpendDimension.Model, fact.Attributes, fact.Detail) is { } model)
        {
            Add(new AggregateKey(fact.TenantId, budget, SpendDimension.UserModel, user + SpendDimension.Separator + model, day), fact);
        }
    }

    private void Add(AggregateKey key, SpendFact fact)
    {
        if (!Deltas.TryGetValue(key, out var aggregate))
        {
            Deltas[key] = aggregate = new SpendAggregate();
        }

        aggregate.Add(fact.Amount, fact.Detail);
    }
}
