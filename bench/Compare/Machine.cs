using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace BudgetActors.Compare;

/// <summary>What the run ran on, said in the report: on a small shared machine the figures mean little without it.</summary>
public sealed record MachineInfo(
    int LogicalCores,
    string Cpu,
    double MemoryGiB,
    string Os,
    string Runtime,
    string Gc,
    string LoadAverageAtStart)
{
    public static MachineInfo Describe() => new(
        Environment.ProcessorCount,
        CpuModel(),
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        GCSettings.IsServerGC ? "server" : "workstation",
        LoadAverage());

    /// <summary>The 1, 5 and 15 minute load averages: how busy the machine was with other work.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

/// <summary>
/// CPU time, read from /proc: of one process and its descendants (a server: PostgreSQL is a tree of
/// backends), and of the whole machine. Over a measuring window, CPU per operation says where the
/// time went, and machine busy time says whether the cores were the limit.
/// </summary>
public static class Cpu
{
    // USER_HZ: the unit of the times in /proc/*/stat and /proc/stat; 100 on every Linux the SDK runs on.
    private const double TicksPerSecond = 100;

    public readonly record struct Sample(double ProcessSeconds, double MachineBusySeconds, double MachineTotalSeconds, long Timestamp);

    /// <param name="roots">The server's processes; each is counted with all its descendants.</param>
    public static Sample Take(int[]? roots)
    {
        var (busy, total) = Machine();
        return new Sample(roots is { Length: > 0 } ? TreeSeconds(roots) : 0, busy, total, Stopwatch.GetTimestamp());
    }

    /// <summary>CPU time of the server's processes per operation, in µs; null without processes.</summary>
    public static double? MicrosPerOp(Sample before, Sample after, long operations, int[]? roots) =>
        roots is not { Length: > 0 } || operations == 0 ? null : (after.ProcessSeconds - before.ProcessSeconds) * 1e6 / operations;

    /// <summary>How busy all cores were, in percent of their time (100 = every core busy all the time).</summary>
    public static double MachineBusyPercent(Sample before, Sample after)
    {
        var total = after.MachineTotalSeconds - before.MachineTotalSeconds;
        return total <= 0 ? 0 : 100 * (after.MachineBusySeconds - before.MachineBusySeconds) / total;
    }

    private static (double Busy, double Total) Machine()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum();
            var idle = fields[3] + fields[4];
            return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    private static double TreeSeconds(int[] roots)
    {
        var stats = new List<(int Pid, int Parent, double Seconds)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
            {
                stats.Add((pid, stat.Parent, stat.Seconds));
            }
        }

        var inTree = new HashSet<int>(roots);
        // Parents have lower pids than children only until pids wrap; iterate until nothing is added.
        for (var added = true; added;)
        {
            added = false;
            foreach (var (pid, parent, _) in stats)
            {
                if (inTree.Contains(parent) && inTree.Add(pid))
                {
                    added = true;
                }
            }
        }

        return stats.Where(s => inTree.Contains(s.Pid)).Sum(s => s.Seconds);
    }

    private static (int Parent, double Seconds)? Stat(int pid)
    {
        try
        {
            // The command name (field 2) may hold spaces and parentheses: the fields that follow start after the last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(rest[1], CultureInfo.InvariantCulture);
            var ticks = double.Parse(rest[11], CultureInfo.InvariantCulture) + double.Parse(rest[12], CultureInfo.InvariantCulture);
            return (parent, ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone meanwhile
        }
    }
}
