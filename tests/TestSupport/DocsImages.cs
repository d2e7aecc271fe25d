namespace BudgetActors.TestSupport;

/// <summary>
/// The README's pictures that tests take as they run (docs/images: the dashboard's screenshot, the
/// console's screen). Written into the checkout only when <see cref="Switch"/> is 1, so that a test
/// run leaves the working tree as it found it; refreshed on purpose with
/// <c>BUDGETACTORS_UPDATE_DOCS_IMAGES=1 ./scripts/test.sh</c> and committed with the change they show.
/// </summary>
public static class DocsImages
{
    public const string Switch = "BUDGETACTORS_UPDATE_DOCS_IMAGES";

    /// <summary>Where the picture <paramref name="name"/> goes, or null when this run does not update them.</summary>
    public static string? PathOf(string name)
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
        {
            return null;
        }

        var images = Directory.CreateDirectory(Path.Combine(PrivatePostgres.RepositoryRoot, "docs", "images"));
        return Path.Combine(images.FullName, name);
    }
}
