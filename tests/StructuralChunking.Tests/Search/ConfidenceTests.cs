using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Tests.Search;

/// <summary>The "no answer" decision: confidence signals, the logistic model, its fitting, and how search applies it.</summary>
public sealed class ConfidenceTests
{
    // A hand-set model: word evidence and cosine both count; nothing else.
    private static readonly ConfidenceModel WordsAndCosine = new(
        Intercept: -4, Cosine: 4, TopCosine: 0, CosineSpread: 0, QueryWordsKnown: 3, QueryWordsMatched: 3, ExactName: 2, Threshold: 0.5);

    private static readonly HashingEmbeddingGenerator Embedder = new();

    private static CodeChunk Chunk(string name, string words, SymbolTraits traits = SymbolTraits.None) => new()
    {
        Id = name + "#0",
        SymbolName = "Billing." + name,
        SymbolKind = SymbolKind.Method,
        Language = "csharp",
        Location = new SourceLocation("Billing/" + name + ".cs", 1, 9, 0, 100),
        EmbeddingText = words,
        LexicalText = words,
        DisplayText = words,
        ContentHash = name,
        Traits = traits,
    };

    private static async Task<CodeIndex> BuildAsync(SymbolTraits lateFeeTraits = SymbolTraits.None) =>
        (await CodeIndexBuilder.BuildAsync(
            [
                Chunk("ParseInvoice", "parse invoice lines total amount currency"),
                Chunk("SendReminder", "send overdue reminder email customer"),
                Chunk("ApplyLateFee", "apply late fee overdue invoice days", lateFeeTraits),
            ],
            Embedder, (EmbeddingProfile)Embedder.GetService(typeof(EmbeddingProfile))!, "hand-built")).WithConfidence(WordsAndCosine);

    [Fact]
    public async Task A_question_about_something_the_code_base_never_mentions_returns_nothing()
    {
        var index = await BuildAsync();

        Assert.Empty(await index.SearchAsync("how do I bake sourdough bread", Embedder));

        var answered = await index.SearchAsync("where is the late fee applied to an overdue invoice", Embedder);
        Assert.NotEmpty(answered);
        Assert.Equal("Billing.ApplyLateFee", answered[0].Symbol);
        Assert.True(answered.Max(r => r.Confidence) >= WordsAndCosine.Threshold);
        Assert.All(answered, r => Assert.True(r.Confidence >= WordsAndCosine.Threshold * SearchOptions.DefaultAnsweredResultShare));
    }

    [Fact]
    public async Task An_answered_question_keeps_its_weaker_results_down_to_the_share_of_the_threshold()
    {
        var index = await BuildAsync();
        const string Question = "where is the late fee applied to an overdue invoice";
        var all = await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = 0 });
        var best = all.Max(r => r.Confidence!.Value);
        var weaker = all.Where(r => r.Confidence < best).Min(r => r.Confidence!.Value);

        // A threshold between the weaker result and the best one: the best answers the question, and the weaker result
        // comes with it while it reaches the share of the threshold, and not when every result must reach it alone.
        var threshold = (weaker + best) / 2;
        var share = weaker / threshold * 0.999;
        var withWeaker = await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = threshold, AnsweredResultShare = share });
        var alone = await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = threshold, AnsweredResultShare = 1 });

        Assert.Contains(withWeaker, r => r.Confidence == weaker);
        Assert.DoesNotContain(alone, r => r.Confidence == weaker);
        Assert.NotEmpty(alone);
        Assert.Equal(Enumerable.Range(1, withWeaker.Count), withWeaker.Select(r => r.Rank));

        // Above the best result's confidence the question is not answered, whatever the share lets through.
        Assert.Empty(await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = Math.Min(1, best + 1e-6), AnsweredResultShare = 0 }));
    }

    [Fact]
    public async Task Test_code_answers_a_question_only_with_its_confidence_scaled_by_the_test_prior()
    {
        var index = await BuildAsync(lateFeeTraits: SymbolTraits.Test);
        const string Question = "where is the late fee applied to an overdue invoice";
        var all = await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = 0 });
        var test = Assert.Single(all, r => r.Symbol == "Billing.ApplyLateFee");
        var probability = WordsAndCosine.Probability(test.Signals!);
        Assert.Equal(probability * SearchOptions.DefaultTestCodeWeight, test.Confidence!.Value, 10);

        // A threshold the test's own probability reaches and nothing else does: the test alone does not answer.
        var threshold = probability * 0.9;
        Assert.All(all.Where(r => r != test), r => Assert.True(r.Confidence < threshold));
        Assert.Empty(await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = threshold }));

        // Unless test code is what was asked for, or ranks like any other code.
        var only = await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = threshold, Tests = TestCodeInclusion.Only });
        Assert.Equal(probability, Assert.Single(only).Confidence!.Value, 10);
        var unweighted = await index.SearchAsync(Question, Embedder, new SearchOptions { MinConfidence = threshold, TestCodeWeight = 1 });
        Assert.Equal("Billing.ApplyLateFee", unweighted[0].Symbol);
    }

    [Fact]
    public async Task Asking_for_one_result_answers_exactly_when_asking_for_ten_does()
    {
        var index = await BuildAsync();
        foreach (var question in new[] { "where is the late fee applied to an overdue invoice", "how do I bake sourdough bread", "send email" })
        {
            var ten = await index.SearchAsync(question, Embedder);
            var one = await index.SearchAsync(question, Embedder, new SearchOptions { Top = 1 });
            Assert.Equal(ten.Take(1).Select(r => r.Symbol), one.Select(r => r.Symbol));
        }
    }

    [Fact]
    public async Task Every_result_carries_its_confidence_and_the_signals_behind_it()
    {
        var index = await BuildAsync();

        var results = await index.SearchAsync("how do I bake sourdough bread", Embedder, new SearchOptions { MinConfidence = 0 });

        Assert.Equal(3, results.Count);
        foreach (var result in results)
        {
            Assert.NotNull(result.Signals);
            Assert.Equal(0f, result.Signals.QueryWordsKnown);
            Assert.Equal(0f, result.Signals.QueryWordsMatched);
            Assert.Equal(WordsAndCosine.Probability(result.Signals), result.Confidence!.Value, 10);
            Assert.True(result.Confidence < WordsAndCosine.Threshold);
        }
    }

    [Fact]
    public async Task Inflected_question_words_count_as_known_and_function_words_do_not_count()
    {
        var index = await BuildAsync();

        // "reminders", "emailed", "sending" meet "reminder", "email", "send"; "where", "are", "the" are not content words.
        var results = await index.SearchAsync("where are the reminders emailed when sending", Embedder, new SearchOptions { MinConfidence = 0 });

        var reminder = Assert.Single(results, r => r.Symbol == "Billing.SendReminder");
        Assert.Equal(1f, reminder.Signals!.QueryWordsKnown, 4);
        Assert.Equal(1f, reminder.Signals.QueryWordsMatched, 4);
        Assert.True(results.Single(r => r.Symbol == "Billing.ParseInvoice").Signals!.QueryWordsMatched < 0.01f);
    }

    [Fact]
    public async Task An_explicit_minimum_score_replaces_the_confidence_decision()
    {
        var index = await BuildAsync();

        var results = await index.SearchAsync("how do I bake sourdough bread", Embedder, new SearchOptions { MinScore = float.NegativeInfinity });

        Assert.Equal(3, results.Count);
    }

    [Fact]
    public async Task Lexical_search_has_no_confidence()
    {
        var index = await BuildAsync();

        var results = await index.SearchAsync("overdue invoice", Embedder, new SearchOptions { Mode = SearchMode.Lexical });

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Null(r.Confidence));
    }

    [Fact]
    public async Task The_model_is_stored_in_the_index_file()
    {
        var index = await BuildAsync();
        using var folder = new Support.TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");

        index.Save(path);

        Assert.Equal(WordsAndCosine, CodeIndex.Load(path).Confidence);
    }

    [Fact]
    public void Fitting_separates_answers_from_non_answers_and_keeps_the_requested_share()
    {
        var samples = new List<ConfidenceSample>();
        for (var i = 0; i < 50; i++)
        {
            // Answers: higher cosine and more matched words; non-answers: lower, with an overlapping tail.
            samples.Add(new ConfidenceSample(Signals(0.45f + (i * 0.008f), 0.3f + (i * 0.01f)), Answers: true));
            samples.Add(new ConfidenceSample(Signals(0.15f + (i * 0.007f), i * 0.008f), Answers: false));
            samples.Add(new ConfidenceSample(Signals(0.10f + (i * 0.006f), i * 0.005f), Answers: false));
        }

        var model = ConfidenceModel.Fit(samples, positivesKept: 0.9);

        Assert.True(model.Cosine > 0);
        Assert.True(model.QueryWordsMatched > 0);
        var positives = samples.Where(s => s.Answers).Select(s => model.Probability(s.Signals)).ToList();
        var negatives = samples.Where(s => !s.Answers).Select(s => model.Probability(s.Signals)).ToList();
        Assert.InRange(positives.Count(p => p >= model.Threshold) / (double)positives.Count, 0.9, 0.95);
        Assert.True(negatives.Count(p => p < model.Threshold) / (double)negatives.Count > 0.9);
        Assert.True(positives.Average() > negatives.Average());
    }

    [Fact]
    public void A_first_hit_answered_by_a_confident_neighbour_raises_the_fitted_threshold_as_far_as_the_share_allows()
    {
        var samples = new List<ConfidenceSample>();
        for (var i = 0; i < 50; i++)
        {
            samples.Add(new ConfidenceSample(Signals(0.45f + (i * 0.008f), 0.3f + (i * 0.01f)), Answers: true));
            samples.Add(new ConfidenceSample(Signals(0.15f + (i * 0.007f), i * 0.008f), Answers: false));
        }

        var alone = ConfidenceModel.Fit(samples, positivesKept: 0.9);
        // The same first hits, each ranked below a result that matches every word with a high cosine.
        var confident = Signals(0.9f, 1f);
        var answered = samples.Select(s => s.Answers ? s with { Neighbours = [confident] } : s).ToList();

        var withNeighbours = ConfidenceModel.Fit(answered, positivesKept: 0.9, answeredResultShare: 0.5);
        var eachAlone = ConfidenceModel.Fit(answered, positivesKept: 0.9, answeredResultShare: 1);

        Assert.Equal(alone.Cosine, withNeighbours.Cosine, 10);
        Assert.Equal(alone.Threshold, eachAlone.Threshold, 10);
        Assert.True(withNeighbours.Threshold > alone.Threshold);
        // Kept at the fitted threshold: answered by the neighbour, and at least half of it on their own.
        var kept = answered.Where(s => s.Answers).Count(s => withNeighbours.Probability(s.Signals) >= withNeighbours.Threshold * 0.5);
        Assert.InRange(kept / 50.0, 0.9, 0.95);
    }

    [Fact]
    public void Fitting_needs_both_kinds_of_sample_and_thresholds_are_probabilities()
    {
        Assert.Throws<ArgumentException>(() => ConfidenceModel.Fit([new ConfidenceSample(Signals(0.5f, 0.5f), Answers: true)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => WordsAndCosine.WithThreshold(1.5));
        Assert.Equal(0.25, WordsAndCosine.WithThreshold(0.25).Threshold);
    }

    [Fact]
    public void The_built_in_models_have_a_shipped_confidence_model_and_other_models_have_none()
    {
        var minilm = ConfidenceModel.ForModel("minilm");
        Assert.NotNull(minilm);
        Assert.InRange(minilm.Threshold, 0.05, 0.95);
        Assert.NotNull(ConfidenceModel.ForModel("arctic-xs"));
        Assert.Null(ConfidenceModel.ForModel("hash-512"));
    }

    private static ConfidenceSignals Signals(float cosine, float matched) => new()
    {
        Cosine = cosine,
        TopCosine = cosine,
        CosineSpread = 0.05f,
        QueryWordsKnown = Math.Min(1f, matched + 0.3f),
        QueryWordsMatched = matched,
        ExactName = false,
    };
}
