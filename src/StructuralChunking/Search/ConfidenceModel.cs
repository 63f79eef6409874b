namespace StructuralChunking.Search;

/// <summary>
/// A logistic model that turns a result's <see cref="ConfidenceSignals"/> into the probability that it answers the query,
/// and the minimum probability a result needs to be returned.
/// </summary>
/// <remarks>
/// <para>The probability is <c>1 / (1 + e^-z)</c> with <c>z = Intercept + Σ weight × signal</c>. The models shipped for the
/// built-in embedding models (<see cref="ForModel"/>) are fitted by <see cref="Fit"/> on data the project generates
/// itself: doc-comment questions from code bases of several languages (positives: the documented definition is the
/// answer) and questions those code bases cannot answer (negatives: out-of-domain developer questions and doc-comment
/// questions of the other code bases). See the evaluation document for the procedure and the figures.</para>
/// <para>The threshold is chosen like the minimum score: the highest value that still keeps
/// <see cref="Evaluation.ThresholdCalibration.TargetPositivesKept"/> of the positives' first hits, so that as many
/// negative questions as possible return nothing.</para>
/// </remarks>
/// <param name="Intercept">The constant term.</param>
/// <param name="Cosine">Weight of <see cref="ConfidenceSignals.Cosine"/>.</param>
/// <param name="TopCosine">Weight of <see cref="ConfidenceSignals.TopCosine"/>.</param>
/// <param name="CosineSpread">Weight of <see cref="ConfidenceSignals.CosineSpread"/>.</param>
/// <param name="QueryWordsKnown">Weight of <see cref="ConfidenceSignals.QueryWordsKnown"/>.</param>
/// <param name="QueryWordsMatched">Weight of <see cref="ConfidenceSignals.QueryWordsMatched"/>.</param>
/// <param name="ExactName">Weight of <see cref="ConfidenceSignals.ExactName"/> (1 when set).</param>
/// <param name="Threshold">Results whose probability is below this are not returned.</param>
public sealed record ConfidenceModel(
    double Intercept,
    double Cosine,
    double TopCosine,
    double CosineSpread,
    double QueryWordsKnown,
    double QueryWordsMatched,
    double ExactName,
    double Threshold)
{
    /// <summary>The probability (0–1) that a result with these signals answers its query.</summary>
    public double Probability(ConfidenceSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var z = Intercept
            + (Cosine * signals.Cosine)
            + (TopCosine * signals.TopCosine)
            + (CosineSpread * signals.CosineSpread)
            + (QueryWordsKnown * signals.QueryWordsKnown)
            + (QueryWordsMatched * signals.QueryWordsMatched)
            + (ExactName * (signals.ExactName ? 1 : 0));
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>A copy with another <see cref="Threshold"/>.</summary>
    public ConfidenceModel WithThreshold(double threshold)
    {
        if (!double.IsFinite(threshold) || threshold is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "A probability threshold lies between 0 and 1.");
        }

        return this with { Threshold = threshold };
    }

    /// <summary>
    /// The model shipped for a built-in embedding model (<c>minilm</c>, <c>arctic-xs</c>), or <c>null</c> for any other
    /// model: an index built with it returns every result until it is calibrated.
    /// </summary>
    public static ConfidenceModel? ForModel(string modelId) => ShippedConfidenceModels.ForModel(modelId);

    /// <summary>
    /// Fits the weights by L2-regularised logistic regression (Newton's method) on labelled signals, then chooses the
    /// threshold on the same data: the highest that keeps <paramref name="positivesKept"/> of the positive samples.
    /// </summary>
    /// <param name="samples">Signals with their label; negatives and positives are weighted to count equally in total.</param>
    /// <param name="positivesKept">Share of positives the threshold must keep (default 0.9).</param>
    /// <param name="regularization">L2 penalty on the weights (not the intercept), in units of one positive sample.</param>
    /// <param name="answeredResultShare">
    /// The search's <see cref="SearchOptions.AnsweredResultShare"/>: a positive is kept when its query is answered and
    /// it reaches this share of the threshold (positives without <see cref="ConfidenceSample.Neighbours"/> stand alone).
    /// </param>
    /// <exception cref="ArgumentException">The samples hold no positive or no negative.</exception>
    public static ConfidenceModel Fit(IReadOnlyList<ConfidenceSample> samples, double positivesKept = Evaluation.ThresholdCalibration.TargetPositivesKept, double regularization = 1.0,
        double answeredResultShare = SearchOptions.DefaultAnsweredResultShare)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var positives = 0;
        foreach (var sample in samples)
        {
            positives += sample.Answers ? 1 : 0;
        }

        if (positives == 0 || positives == samples.Count)
        {
            throw new ArgumentException("Fitting a confidence model needs both positive and negative samples.", nameof(samples));
        }

        var negativeWeight = positives / (double)(samples.Count - positives);
        const int Dimensions = 7;
        var beta = new double[Dimensions];
        var x = new double[Dimensions];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[Dimensions];
            var hessian = new double[Dimensions, Dimensions];
            foreach (var sample in samples)
            {
                Features(sample.Signals, x);
                var p = Sigmoid(Dot(beta, x));
                var weight = sample.Answers ? 1 : negativeWeight;
                var residual = weight * ((sample.Answers ? 1 : 0) - p);
                var curvature = weight * p * (1 - p);
                for (var i = 0; i < Dimensions; i++)
                {
                    gradient[i] += residual * x[i];
                    for (var j = 0; j < Dimensions; j++)
                    {
                        hessian[i, j] += curvature * x[i] * x[j];
                    }
                }
            }

            for (var i = 1; i < Dimensions; i++)
            {
                gradient[i] -= regularization * beta[i];
                hessian[i, i] += regularization;
            }

            hessian[0, 0] += 1e-9;
            var step = Solve(hessian, gradient);
            var change = 0.0;
            for (var i = 0; i < Dimensions; i++)
            {
                beta[i] += step[i];
                change = Math.Max(change, Math.Abs(step[i]));
            }

            if (change < 1e-8)
            {
                break;
            }
        }

        var model = new ConfidenceModel(beta[0], beta[1], beta[2], beta[3], beta[4], beta[5], beta[6], 0);
        var positiveProbabilities = new List<double>(positives);
        foreach (var sample in samples)
        {
            if (sample.Answers)
            {
                positiveProbabilities.Add(model.SurvivingProbability(sample, answeredResultShare));
            }
        }

        return model with { Threshold = ThresholdKeeping(positiveProbabilities, positivesKept) };
    }

    /// <summary>
    /// The highest threshold at which a first hit is still returned: its query must be answered (it or one of its
    /// <see cref="ConfidenceSample.Neighbours"/> reaches the threshold) and it must reach <paramref name="answeredResultShare"/>
    /// of the threshold.
    /// </summary>
    /// <param name="sample">A first hit and its neighbours.</param>
    /// <param name="answeredResultShare">The search's <see cref="SearchOptions.AnsweredResultShare"/>.</param>
    public double SurvivingProbability(ConfidenceSample sample, double answeredResultShare = SearchOptions.DefaultAnsweredResultShare)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var own = Probability(sample.Signals);
        var best = own;
        foreach (var neighbour in sample.Neighbours ?? [])
        {
            best = Math.Max(best, Probability(neighbour));
        }

        return SurvivingThreshold(own, best, answeredResultShare);
    }

    /// <summary>
    /// The highest threshold at which a result of confidence <paramref name="own"/> is returned when the best of its
    /// query's first results has <paramref name="best"/>: the query must be answered and the result must reach the share.
    /// </summary>
    internal static double SurvivingThreshold(double own, double best, double answeredResultShare) =>
        answeredResultShare > 0 ? Math.Min(best, own / answeredResultShare) : best;

    /// <summary>The highest threshold that keeps at least <paramref name="share"/> of <paramref name="probabilities"/>.</summary>
    internal static double ThresholdKeeping(List<double> probabilities, double share)
    {
        if (probabilities.Count == 0)
        {
            return 0;
        }

        probabilities.Sort();
        var dropped = (int)Math.Floor(probabilities.Count * (1 - share) + 1e-9);
        return Math.Round(probabilities[Math.Min(dropped, probabilities.Count - 1)], 4, MidpointRounding.ToZero);
    }

    private static void Features(ConfidenceSignals signals, double[] x)
    {
        x[0] = 1;
        x[1] = signals.Cosine;
        x[2] = signals.TopCosine;
        x[3] = signals.CosineSpread;
        x[4] = signals.QueryWordsKnown;
        x[5] = signals.QueryWordsMatched;
        x[6] = signals.ExactName ? 1 : 0;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    // Gaussian elimination with partial pivoting; the system is 7×7 and positive definite after regularisation.
    private static double[] Solve(double[,] matrix, double[] vector)
    {
        var n = vector.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])vector.Clone();
        for (var column = 0; column < n; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < n; row++)
            {
                if (Math.Abs(a[row, column]) > Math.Abs(a[pivot, column]))
                {
                    pivot = row;
                }
            }

            if (Math.Abs(a[pivot, column]) < 1e-12)
            {
                continue;
            }

            if (pivot != column)
            {
                for (var k = 0; k < n; k++)
                {
                    (a[column, k], a[pivot, k]) = (a[pivot, k], a[column, k]);
                }

                (b[column], b[pivot]) = (b[pivot], b[column]);
            }

            for (var row = column + 1; row < n; row++)
            {
                var factor = a[row, column] / a[column, column];
                for (var k = column; k < n; k++)
                {
                    a[row, k] -= factor * a[column, k];
                }

                b[row] -= factor * b[column];
            }
        }

        var solution = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            if (Math.Abs(a[row, row]) < 1e-12)
            {
                continue;
            }

            var sum = b[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * solution[k];
            }

            solution[row] = sum / a[row, row];
        }

        return solution;
    }
}

/// <summary>One labelled example for <see cref="ConfidenceModel.Fit"/>.</summary>
/// <param name="Signals">The result's signals.</param>
/// <param name="Answers">True when the result answers its query (a positive question's first hit); false for the results of a question the code base cannot answer.</param>
/// <param name="Neighbours">
/// For a first hit, the signals of the other results among its query's first ten: the query counts as answered when
/// any of them reaches the threshold (see <see cref="SearchOptions.AnsweredResultShare"/>). <c>null</c>: the first hit
/// stands alone.
/// </param>
public sealed record ConfidenceSample(ConfidenceSignals Signals, bool Answers, IReadOnlyList<ConfidenceSignals>? Neighbours = null);
