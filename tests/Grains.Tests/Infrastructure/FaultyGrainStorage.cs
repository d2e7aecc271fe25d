using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>
/// The cluster's grain storage with faults that tests switch on for the grains they choose (by grain
/// id): writes or reads that fail as a database outage would, or a write that finds another
/// activation's ETag. It also counts reads, which tells a test when a grain was activated again.
/// </summary>
public sealed class FaultyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, StorageFault> Faults = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> ReadCounts = new(StringComparer.Ordinal);

    /// <summary>Makes the grain's storage misbehave until the handle is disposed.</summary>
    public static IDisposable Inject(GrainId grain, StorageFault fault)
    {
        var id = grain.ToString();
        Faults[id] = fault;
        return new Release(() => Faults.TryRemove(id, out _));
    }

    /// <summary>How often the grain's state was read (once per activation).</summary>
    public static int Reads(GrainId grain) => ReadCounts.GetValueOrDefault(grain.ToString());

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ReadCounts.AddOrUpdate(grainId.ToString(), 1, static (_, n) => n + 1);
        return Faults.GetValueOrDefault(grainId.ToString()) == StorageFault.ReadsFail
            ? throw new StorageUnavailableException("Injected: grain storage cannot be read.")
            : inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Faults.GetValueOrDefault(grainId.ToString()) switch
        {
            StorageFault.WritesFail => throw new StorageUnavailableException("Injected: grain storage cannot be written."),
            StorageFault.WritesConflict => throw new InconsistentStateException("Injected: another activation wrote this state.", "stored", grainState.ETag),
            _ => inner.WriteStateAsync(stateName, grainId, grainState),
        };

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    /// <summary>Wraps the grain storage registered under <paramref name="name"/>.</summary>
    public static void Decorate(IServiceCollection services, string name)
    {
        var registered = services.Last(d => d.IsKeyedService && Equals(d.ServiceKey, name) && d.ServiceType == typeof(IGrainStorage));
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) =>
            new FaultyGrainStorage((IGrainStorage)(registered.KeyedImplementationFactory?.Invoke(provider, key)
                ?? registered.KeyedImplementationInstance
                ?? ActivatorUtilities.CreateInstance(provider, registered.KeyedImplementationType!))));
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}

public enum StorageFault
{
    None,
    ReadsFail,
    WritesFail,

    /// <summary>A write finds that another activation wrote the state since this one read it.</summary>
    WritesConflict,
}

/// <summary>What an injected outage of grain storage throws (the real providers throw their database's exceptions).</summary>
[GenerateSerializer]
public sealed class StorageUnavailableException(string message) : Exception(message);
