using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace BudgetActors.Domain;

/// <summary>
/// The budgets a tier gives a subject, and what changes when a subject's tier or a tier's templates
/// change. Pure: the tenant grain applies the plans to its state.
/// <para>
/// Ids are <c>{tier}.{budgetName}.{value}</c> (<c>free.daily.carol</c>). Tier ids and budget names
/// have no '.', so the first two dots split an id back. A value may hold characters that budget ids
/// do not ('/' and '+') and be up to 256 characters long, while an id has at most 128: the value is
/// written with '_' as an escape ('_' → <c>__</c>, '/' → <c>_s</c>, '+' → <c>_p</c>), which keeps
/// distinct values distinct, and one that still does not fit is cut and ends in <c>_h</c> and 32 hex
/// digits of its SHA-256 (a form escaping never makes).
/// </para>
/// </summary>
public static class TierBudgets
{
    /// <summary>Longest tier id and budget name: with both dots, at least 62 characters are left for the value.</summary>
    public const int MaxNameLength = 32;

    private const int MaxIdLength = 128;
    private const int HashChars = 32;

    public static string BudgetId(string tierId, string budgetName, string value)
    {
        var prefix = string.Concat(tierId, ".", budgetName, ".");
        var room = MaxIdLength - prefix.Length;
        var escaped = Escape(value, int.MaxValue);
        if (escaped.Length <= room)
        {
            return prefix + escaped;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..HashChars];
        return string.Concat(prefix, Escape(value, room - 2 - HashChars), "_h", hash);
    }

    /// <summary>A subject's copy of one template: its id, its scope <c>{ subject: value }</c>, the tier it came from.</summary>
    public static BudgetDefinition Instantiate(TierDefinition tier, BudgetDefinition template, string value) =>
        template with
        {
            Id = BudgetId(tier.Id, template.Id, value),
            Scope = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add(tier.Subject, value),
            Tier = tier.Id,
            Raises = [],
        };

    /// <summary>The ids a subject has from a tier.</summary>
    public static IEnumerable<string> IdsOf(TierDefinition tier, string value) => tier.Budgets.Select(t => BudgetId(tier.Id, t.Id, value));

    /// <summary>
    /// What a subject's budgets become when it moves from <paramref name="from"/> (its tier's templates
    /// as they were; null: it had none) to <paramref name="to"/> (null: it has none now). The same tier
    /// with new templates is a move too. A budget kept under the same id keeps its approved overrides
    /// (and its spend: the grain keeps it on a redefinition); a budget that goes is retired, its history kept.
    /// </summary>
    /// <param name="existing">The tenant's budgets now, by id.</param>
    public static TierMove Move(TierDefinition? from, TierDefinition? to, string value, IReadOnlyDictionary<string, BudgetDefinition> existing)
    {
        var put = new List<BudgetDefinition>();
        var created = new List<BudgetDefinition>();
        var conflicts = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var template in to?.Budgets ?? [])
        {
            var definition = Instantiate(to!, template, value);
            wanted.Add(definition.Id);
            if (!existing.TryGetValue(definition.Id, out var current))
            {
                put.Add(definition);
                created.Add(definition);
            }
            else if (current.Tier != to!.Id || !current.Scope.SequenceEqual(definition.Scope))
            {
                conflicts.Add(definition.Id); // a budget made by hand, or another subject's (a hash collision): never taken over
            }
            else if (!current.SameAs(definition with { Raises = current.Raises }))
            {
                put.Add(definition with { Raises = current.Raises });
            }
        }

        var retired = from is null
            ? []
            : IdsOf(from, value).Where(id => !wanted.Contains(id) && existing.TryGetValue(id, out var b) && b.Tier == from.Id).ToList();
        return new TierMove(put, created, retired, conflicts);
    }

    private static string Escape(string value, int room)
    {
        var text = new StringBuilder(Math.Min(value.Length * 2, Math.Max(room, 0)));
        foreach (var c in value)
        {
            var token = c switch
            {
                '_' => "__",
                '/' => "_s",
                '+' => "_p",
                _ => null,
            };
            var length = token?.Length ?? 1;
            if (text.Length + length > room)
            {
                break; // cut between tokens, never inside one
            }

            if (token is null)
            {
                text.Append(c);
            }
            else
            {
                text.Append(token);
            }
        }

        return text.ToString();
    }
}
