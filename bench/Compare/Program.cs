using System.Globalization;
using BudgetActors.Compare;

// One benchmark command against the alternatives (bench/README.md, "Compare"). The same program
// also serves the bare ASP.NET Core endpoint and runs the memory probe, each as a process of its
// own, so that neither shares a heap or a thread pool with the harness that measures it.

// Figures in the document and the JSON are written the same way whatever the machine's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

return args.FirstOrDefault() switch
{
    BareEndpoint.Command => await BareEndpoint.RunAsync(args[1..]),
    MemoryProbe.Command => await MemoryProbe.RunAsync(args[1..]),
    _ => await Harness.RunAsync(args),
};
