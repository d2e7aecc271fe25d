using Microsoft.Extensions.Time.Testing;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> of which only the wall clock (<see cref="TimeProvider.GetUtcNow"/>)
/// is fake: timers, delays and timestamps run in real time.
/// </summary>
/// <remarks>
/// The silo's TimeProvider is also the Orleans runtime's. With FakeTimeProvider's own timers, every
/// periodic loop of the runtime runs once per period skipped when a test moves the clock (about a second
/// of real time per day skipped, so a jump to next November hangs the run), and a graceful silo shutdown
/// waits out its timeouts (30 s). Business time — periods, hold expiry, rollover — reads only the wall
/// clock, which the tests move; the budget grain's timers (expiry sweep, snapshot) then tick in real time.
/// </remarks>
internal sealed class WallClockOnly(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);

    public override long GetTimestamp() => System.GetTimestamp();

    public override long TimestampFrequency => System.TimestampFrequency;
}
