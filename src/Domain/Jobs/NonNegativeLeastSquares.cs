namespace BudgetActors.Domain.Jobs;

/// <summary>
/// Solves min ‖A·x − b‖ subject to x ≥ 0 (Lawson and Hanson's active-set method), in decimal so
/// that fitted prices stay exact decimals end to end. Columns are scaled to a common magnitude
/// first: resources differ by many orders of magnitude (MB·s against jobs), and the normal
/// equations would otherwise lose the small ones.
/// </summary>
public static class NonNegativeLeastSquares
{
    private const int MaxIterations = 200;

    public static decimal[] Solve(decimal[][] a, decimal[] b)
    {
        var rows = a.Length;
        var columns = rows == 0 ? 0 : a[0].Length;
        if (rows != b.Length || a.Any(r => r.Length != columns))
        {
            throw new ArgumentException("A must be a rectangular matrix with one row per entry of b.");
        }

        var scales = new decimal[columns];
        for (var j = 0; j < columns; j++)
        {
            var max = 0m;
            for (var i = 0; i < rows; i++)
            {
                max = Math.Max(max, Math.Abs(a[i][j]));
            }

            scales[j] = max == 0m ? 1m : max;
        }

        var scaled = a.Select(r => r.Select((v, j) => v / scales[j]).ToArray()).ToArray();
        var x = SolveScaled(scaled, b, columns);
        return x.Select((v, j) => v / scales[j]).ToArray();
    }

    private static decimal[] SolveScaled(decimal[][] a, decimal[] b, int n)
    {
        var tolerance = 0.0000000001m * Math.Max(1m, b.Select(Math.Abs).DefaultIfEmpty(0m).Max());
        var x = new decimal[n];
        var passive = new bool[n];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var gradient = Gradient(a, b, x);
            var best = -1;
            for (var j = 0; j < n; j++)
            {
                if (!passive[j] && gradient[j] > tolerance && (best < 0 || gradient[j] > gradient[best]))
                {
                    best = j;
                }
            }

            if (best < 0)
            {
                return x; // no free direction improves the fit
            }

            passive[best] = true;
            while (true)
            {
                var s = LeastSquaresOn(a, b, passive);
                if (Enumerable.Range(0, n).All(j => !passive[j] || s[j] > 0m))
                {
                    x = s;
                    break;
                }

                // Step from x towards s as far as feasibility allows, and drop what reaches zero.
                var alpha = 1m;
                for (var j = 0; j < n; j++)
                {
                    // x[j] = s[j] = 0 (a column the solve gave nothing) bounds no step, and would divide by zero.
                    if (passive[j] && s[j] <= 0m && x[j] > s[j])
                    {
                        alpha = Math.Min(alpha, x[j] / (x[j] - s[j]));
                    }
                }

                for (var j = 0; j < n; j++)
                {
                    x[j] += alpha * (s[j] - x[j]);
                    if (passive[j] && x[j] <= tolerance * 0.000001m)
                    {
                        passive[j] = false;
                        x[j] = 0m;
                    }
                }
            }
        }

        return x;
    }

    /// <summary>Aᵀ(b − A·x): positive where increasing x_j would reduce the error.</summary>
    private static decimal[] Gradient(decimal[][] a, decimal[] b, decimal[] x)
    {
        var n = x.Length;
        var gradient = new decimal[n];
        for (var i = 0; i < a.Length; i++)
        {
            var residual = b[i];
            for (var j = 0; j < n; j++)
            {
                residual -= a[i][j] * x[j];
            }

            for (var j = 0; j < n; j++)
            {
                gradient[j] += a[i][j] * residual;
            }
        }

        return gradient;
    }

    /// <summary>Unconstrained least squares on the passive columns (normal equations), zero elsewhere.</summary>
    private static decimal[] LeastSquaresOn(decimal[][] a, decimal[] b, bool[] passive)
    {
        var columns = Enumerable.Range(0, passive.Length).Where(j => passive[j]).ToArray();
        var k = columns.Length;
        var m = new decimal[k, k + 1];
        for (var p = 0; p < k; p++)
        {
            for (var q = 0; q < k; q++)
            {
                var sum = 0m;
                for (var i = 0; i < a.Length; i++)
                {
                    sum += a[i][columns[p]] * a[i][columns[q]];
                }

                m[p, q] = sum;
            }

            var rhs = 0m;
            for (var i = 0; i < a.Length; i++)
            {
                rhs += a[i][columns[p]] * b[i];
            }

            m[p, k] = rhs;
        }

        var solution = GaussianElimination(m, k);
        var x = new decimal[passive.Length];
        for (var p = 0; p < k; p++)
        {
            x[columns[p]] = solution[p];
        }

        return x;
    }

    private static decimal[] GaussianElimination(decimal[,] m, int k)
    {
        for (var col = 0; col < k; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < k; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            if (m[pivot, col] == 0m)
            {
                continue; // a column that carries no information: its weight stays 0
            }

            if (pivot != col)
            {
                for (var c = col; c <= k; c++)
                {
                    (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                }
            }

            for (var row = 0; row < k; row++)
            {
                if (row == col || m[row, col] == 0m)
                {
                    continue;
                }

                var factor = m[row, col] / m[col, col];
                for (var c = col; c <= k; c++)
                {
                    m[row, c] -= factor * m[col, c];
                }
            }
        }

        var solution = new decimal[k];
        for (var p = 0; p < k; p++)
        {
            solution[p] = m[p, p] == 0m ? 0m : m[p, k] / m[p, p];
        }

        return solution;
    }
}
