namespace BudgetActors.Ui.Tests.Support;

/// <summary>
/// Debian's chromium, found on PATH. Playwright's own browser download is never used (this machine
/// reaches no download site), so without the system browser the tests fail saying what to install.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "The dashboard tests drive the system's Chromium, and none is on PATH: install chromium (apt-get install chromium), or set CHROMIUM_PATH.");
    }
}
