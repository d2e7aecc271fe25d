namespace BudgetActors.Domain.Reports;

/// <summary>
/// What a daily aggregate groups by. Each charge is folded, for the whole tenant and for each budget
/// it was charged to, into the day's row of each dimension: its total, and the value of each
/// attribute dimension ("" when the charge has no such attribute). The tenant's rows have two more:
/// <see cref="Budget"/> (one row per budget charged, "" for a charge no budget applied to) and
/// <see cref="UserModel"/> (user and model, for the recommendations).
/// </summary>
public static class SpendDimension
{
    public const string Total = "total";
    public const string Queue = "queue";
    public const string Model = "model";
    public const string User = "user";
    public const string Project = "project";
    public const string Budget = "budget";
    public const string UserModel = "user-model";

    /// <summary>The groupBy values of a report.</summary>
    public static readonly IReadOnlyList<string> GroupBys = [Queue, Model, User, Project, Budget];

    /// <summary>Between a user and a model in a <see cref="UserModel"/> value: never in an attribute value.</summary>
    public const char Separator = '|';

    /// <summary>The budget id of the rows of the whole tenant ("" is never a budget id).</summary>
    public const string WholeTenant = "";

    /// <summary>
    /// A charge's value of an attribute dimension: its attribute, and for <see cref="Model"/> without
    /// a model attribute, the model its detail was priced as. Null when it has none.
    /// </summary>
    public static string? ValueOf(string dimension, IReadOnlyDictionary<string, string> attributes, SpendDetail? detail) =>
        attributes.TryGetValue(dimension, out var value) ? value
        : dimension == Model ? detail?.Model
        : null;
}
