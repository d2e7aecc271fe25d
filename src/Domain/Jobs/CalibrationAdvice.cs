using System.Collections.Immutable;

namespace BudgetActors.Domain.Jobs;

public enum CalibrationAdvice
{
    /// <summary>The fitted weights explain the bills well (MAPE ≤ 5%): apply them.</summary>
    Apply,

    /// <summary>Better than the current weights but rough (MAPE ≤ 15%): apply, and keep collecting pairs.</summary>
    ApplyAndCollectMore,

    /// <summary>The formula does not explain these bills (MAPE above 15%): keep the current weights and check the measurements, or split by queue.</summary>
    Keep,
}
