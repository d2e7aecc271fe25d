namespace BudgetActors.Domain;

/// <summary>
/// A subject (one value of one attribute, such as <c>user: alice</c>) as one string, <c>user/alice</c>:
/// attribute names never contain '/', so the first '/' splits it back whatever the value holds.
/// </summary>
public static class SubjectKeys
{
    public static string Of(string subject, string value) => string.Concat(subject, "/", value);

    public static (string Subject, string Value) Split(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
