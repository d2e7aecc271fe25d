using System.Diagnostics;
using BudgetActors.TestSupport;

namespace BudgetActors.Compare;

/// <summary>
/// A program the harness started (a server, wrk, a benchmark of its own): everything it prints goes
/// to a log file in the run's directory and its last lines are kept for error messages. Only
/// processes started here are ever stopped, by their own handle.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly StreamWriter _log;
    private readonly List<string> _output = [];

    private ChildProcess(string name, Process process, StreamWriter log, bool keepOutput)
    {
        Name = name;
        _process = process;
        _log = log;
        KeepOutput = keepOutput;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    private bool KeepOutput { get; }

    /// <summary>Every line of standard output, when asked for at start (wrk's answer, a benchmark's table).</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_tail)
            {
                return [.. _output];
            }
        }
    }

    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return $"--- {Name} (pid {_process.Id}), last lines:{Environment.NewLine}{string.Join(Environment.NewLine, _tail)}";
            }
        }
    }

    /// <param name="echo">Also print each line on the console (for the long benchmarks, so that the run shows progress).</param>
    public static ChildProcess Start(
        string name, string logDirectory, string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null,
        bool keepOutput = false, bool echo = false)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(logDirectory, $"{name}.log"), append: true) { AutoFlush = true };
        log.WriteLine($"=== {DateTime.UtcNow:O} {fileName} {string.Join(' ', start.ArgumentList)}");
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(name, process, log, keepOutput);
        process.OutputDataReceived += (_, e) => child.Record(e.Data, stdout: true, echo);
        process.ErrorDataReceived += (_, e) => child.Record(e.Data, stdout: false, echo);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to end by itself; false (and it is killed) when it is still running at the deadline.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token); // also waits for the redirected output to be read
            return true;
        }
        catch (OperationCanceledException)
        {
            await StopAsync();
            return false;
        }
    }

    /// <summary>Kills the process and whatever it started, and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // never started, already reaped, or stuck in the kernel: nothing more to do from here
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        lock (_tail)
        {
            _log.Dispose();
        }
    }

    public static string Dotnet() => DotnetHost.Executable;

    private void Record(string? line, bool stdout, bool echo)
    {
        if (line is null)
        {
            return;
        }

        if (echo)
        {
            Console.WriteLine($"    {line}");
        }

        lock (_tail)
        {
            if (stdout && KeepOutput)
            {
                _output.Add(line);
            }

            _tail.Enqueue(line);
            while (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }

            try
            {
                _log.WriteLine(stdout ? line : "[err] " + line);
            }
            catch (ObjectDisposedException)
            {
                // a line that came after the process was disposed
            }
        }
    }
}
