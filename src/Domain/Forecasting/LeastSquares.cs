namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Ordinary least squares for the handful of columns the forecasters use (at most 8), through the
/// normal equations and Gauss-Jordan elimination with partial pivoting. The callers centre their
/// time column, so the system stays well conditioned.
/// </summary>
internal static class LeastSquares
{
    /// <param name="x">Rows of regressors.</param>
    /// <param name="y">One observation per row.</param>
    /// <returns>The coefficients, the residual variance (RSS over the degrees of freedom, 0 with none) and (XᵀX)⁻¹; null when the columns are collinear.</returns>
    public static (double[] Beta, double ResidualVariance, double[,] Inverse)? Fit(double[][] x, double[] y)
    {
        var rows = x.Length;
        var p = x[0].Length;
        var xtx = new double[p, p];
        var xty = new double[p];
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < p; i++)
            {
                xty[i] += x[r][i] * y[r];
                for (var j = 0; j < p; j++)
                {
                    xtx[i, j] += x[r][i] * x[r][j];
                }
            }
        }

        if (Invert(xtx) is not { } inverse)
        {
            return null;
        }

        var beta = new double[p];
        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j < p; j++)
            {
                beta[i] += inverse[i, j] * xty[j];
            }
        }

        var rss = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var fitted = 0.0;
            for (var i = 0; i < p; i++)
            {
                fitted += x[r][i] * beta[i];
            }

            rss += (y[r] - fitted) * (y[r] - fitted);
        }

        return (beta, rows > p ? rss / (rows - p) : 0.0, inverse);
    }

    private static double[,]? Invert(double[,] a)
    {
        var n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            inv[i, i] = 1.0;
        }

        var scale = 0.0;
        foreach (var v in m)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(m[pivot, col]) <= scale * 1e-12)
            {
                return null;
            }

            if (pivot != col)
            {
                for (var j = 0; j < n; j++)
                {
                    (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
                    (inv[col, j], inv[pivot, j]) = (inv[pivot, j], inv[col, j]);
                }
            }

            var d = m[col, col];
            for (var j = 0; j < n; j++)
            {
                m[col, j] /= d;
                inv[col, j] /= d;
            }

            for (var r = 0; r < n; r++)
            {
                if (r != col && m[r, col] != 0.0)
                {
                    var f = m[r, col];
                    for (var j = 0; j < n; j++)
                    {
                        m[r, j] -= f * m[col, j];
                        inv[r, j] -= f * inv[col, j];
                    }
                }
            }
        }

        return inv;
    }
}
