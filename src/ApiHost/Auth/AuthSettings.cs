namespace BudgetActors.ApiHost.Auth;

/// <summary>Bound from the <c>Auth</c> configuration section (env <c>Auth__AdminKey</c>).</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    /// <summary>The bootstrap admin key. When absent the host makes one at start and logs it once.</summary>
    public string? AdminKey { get; set; }
}
