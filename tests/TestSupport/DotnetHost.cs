namespace BudgetActors.TestSupport;

/// <summary>The dotnet executable that runs the tests (or the benchmark harness) runs the processes they start too.</summary>
public static class DotnetHost
{
    public static string Executable
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var current = Environment.ProcessPath;
            return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }
}
