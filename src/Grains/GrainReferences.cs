using System.Collections.Concurrent;

namespace BudgetActors.Grains;

/// <summary>
/// Grain references by string key without the lookup that Orleans 10.4 does on every
/// <c>GetGrain&lt;T&gt;(key)</c> — it resolves the interface's type by reading its attributes through
/// reflection, a good part of a reservation's CPU when profiled. The grain and interface types are
/// resolved once per interface, then every reference is made from a <see cref="GrainId"/>.
/// </summary>
public static class GrainReferences
{
    private static readonly ConcurrentDictionary<Type, (GrainType Grain, GrainInterfaceType Interface)> Types = new();

    public static T Get<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        var (grainType, interfaceType) = Types.GetOrAdd(typeof(T), static (_, factory) =>
        {
            var probe = (GrainReference)(object)factory.GetGrain<T>("-");
            return (probe.GrainId.Type, probe.InterfaceType);
        }, grains);
        return (T)grains.GetGrain(GrainId.Create(grainType, IdSpan.Create(key)), interfaceType);
    }
}
