using System.Diagnostics;

namespace BudgetActors.TestSupport.Cluster;

/// <summary>
/// One built host (silo or API host) running as a real OS process under <c>dotnet</c>, started from
/// its own directory so that it reads its own appsettings.json. Everything it prints goes to a log
/// file, and the last lines are kept for failure messages.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int KeptLines = 60;

    private readonly Process process;
    private readonly Queue<string> lines = new();
    private readonly StreamWriter log;
    private volatile bool killedByTest;

    private HostProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The process ended without the test killing it (a crash, or a signal from outside); gives its exit code.</summary>
    public event Action<HostProcess, int>? ExitedByItself;

    /// <summary>The last lines the process printed (stdout and stderr interleaved), with its log path.</summary>
    public string Tail
    {
        get
        {
            lock (lines)
            {
                return $"--- {Name} (pid {process.Id}, log {LogPath}), last {lines.Count} lines:{Environment.NewLine}" +
                       string.Join(Environment.NewLine, lines);
            }
        }
    }

    /// <param name="dll">The host's entry assembly; the process runs in its directory.</param>
    public static HostProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var logPath = Path.Combine(HostBinaries.LogDirectory, $"{name}.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"=== {DateTime.UtcNow:O} dotnet {Path.GetFileName(dll)} {string.Join(' ', arguments)}");

        var start = new ProcessStartInfo(DotnetHost.Executable)
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The dashboard's own polling grains would only compete for the two cores; it is not what is tested here.
        start.Environment["Dashboard__Enabled"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(name, process, log, logPath);
        process.Exited += (_, _) => host.OnExited();
        process.OutputDataReceived += (_, e) => host.Record("out", e.Data);
        process.ErrorDataReceived += (_, e) => host.Record("err", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.WriteLine($"=== pid {process.Id}");
        return host;
    }

    /// <summary>
    /// <c>kill -9</c>: on Linux <see cref="Process.Kill()"/> sends SIGKILL, so the process gets no
    /// chance to flush, deactivate grains or leave the cluster. Returns once it is gone.
    /// </summary>
    public async Task KillAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                killedByTest = true;
                process.Kill();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException)
        {
            // already gone and reaped
        }

        Record("test", $"killed with SIGKILL at {DateTime.UtcNow:O}");
    }

    /// <summary>True when the process printed a line containing <paramref name="text"/> (anywhere in its log).</summary>
    public bool Printed(string text)
    {
        lock (lines)
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd().Contains(text, StringComparison.Ordinal);
        }
    }

    /// <summary>SIGKILL without waiting, for a test run that is being torn down anyway.</summary>
    internal void KillNow()
    {
        try
        {
            killedByTest = true;
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // never started, or already gone
        }
    }

    private void OnExited()
    {
        var code = process.ExitCode;
        Record("test", $"exited with code {code}{(killedByTest ? " (killed by the test)" : "")}");
        if (!killedByTest)
        {
            ExitedByItself?.Invoke(this, code);
        }
    }

    private void Record(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{stream}] {line}";
            lines.Enqueue(line);
            while (lines.Count > KeptLines)
            {
                lines.Dequeue();
            }

            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // a line that arrived after the process was disposed
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        lock (lines)
        {
            log.Dispose();
        }
    }
}
