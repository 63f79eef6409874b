using StructuralChunking.Evaluation;
using StructuralChunking.Onnx;
using StructuralChunking.Search;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.Engine;

/// <summary>Index-time calibration of the confidence threshold on the code base's own doc comments, with the real MiniLM.</summary>
public sealed class SelfCalibrationTests : IDisposable
{
    // Thirty documented functions on distinct topics: enough doc-comment questions to calibrate on.
    private static readonly (string Name, string Doc, string Body)[] Functions =
    [
        ("parse_invoice", "Reads the line items and the total amount from an invoice document.", "return [line.split(';') for line in text.splitlines()]"),
        ("send_reminder", "Emails a payment reminder to a customer whose invoice is overdue.", "mailer.send(customer.email, 'overdue')"),
        ("apply_late_fee", "Adds a late fee to every invoice unpaid after thirty days.", "return invoice.total * 1.05"),
        ("resize_image", "Scales a picture down so that its longest side fits the thumbnail size.", "return image.resize((128, 128))"),
        ("hash_password", "Derives a salted password hash with many rounds of key stretching.", "return pbkdf2(password, salt, 100000)"),
        ("rotate_logs", "Moves the current log file aside and starts a fresh one each night.", "os.rename(path, path + '.1')"),
        ("geocode_address", "Turns a street address into latitude and longitude coordinates.", "return lookup(address)"),
        ("render_chart", "Draws a bar chart of monthly sales figures as an SVG image.", "return svg(bars(sales))"),
        ("compress_backup", "Packs the nightly database dump into a gzip archive.", "return gzip.compress(dump)"),
        ("schedule_meeting", "Finds a free calendar slot shared by all invited participants.", "return min(free_slots(people))"),
        ("translate_text", "Translates a paragraph into the reader's preferred language.", "return dictionary.get(text, text)"),
        ("detect_fraud", "Flags card payments whose amount or location looks unusual.", "return amount > limit or country != home"),
        ("merge_playlists", "Combines two music playlists without repeating any song.", "return list(dict.fromkeys(a + b))"),
        ("forecast_weather", "Predicts tomorrow's temperature from the last week of readings.", "return sum(readings) / len(readings)"),
        ("validate_postcode", "Checks that a postal code matches the national format.", "return bool(re.match(pattern, code))"),
        ("book_flight", "Reserves a seat on the cheapest flight between two airports.", "return min(flights, key=price)"),
        ("count_calories", "Adds up the calories of every ingredient in a recipe.", "return sum(i.calories for i in recipe)"),
        ("tune_guitar", "Adjusts each string's pitch until it matches standard tuning.", "return [note(s) for s in strings]"),
        ("water_plants", "Opens the garden sprinklers when the soil moisture is low.", "valve.open() if moisture < 0.2 else None"),
        ("track_parcel", "Reports where a shipped parcel is according to the courier.", "return courier.status(tracking_number)"),
        ("grade_exam", "Scores a student's exam answers against the answer key.", "return sum(a == k for a, k in zip(answers, key))"),
        ("brew_coffee", "Heats water and pours it over ground coffee beans.", "kettle.boil(); pour(beans)"),
        ("balance_ledger", "Verifies that debits and credits in the ledger cancel out.", "return sum(debits) == sum(credits)"),
        ("shorten_url", "Creates a short link that redirects to a long web address.", "return base62(counter.next())"),
        ("sort_laundry", "Separates white clothes from coloured ones before washing.", "return partition(clothes, is_white)"),
        ("mute_notifications", "Silences phone notifications during the night hours.", "settings.silent = 22 <= hour or hour < 7"),
        ("estimate_taxi_fare", "Estimates a taxi fare from the distance and the time of day.", "return base + km * rate(hour)"),
        ("feed_aquarium_fish", "Drops a measured portion of food into the fish tank.", "feeder.release(grams=2)"),
        ("plan_workout", "Builds a weekly training plan from a runner's target race pace.", "return [session(pace) for day in week]"),
        ("archive_emails", "Moves emails older than a year into the archive folder.", "return [m for m in inbox if m.age > 365]"),
    ];

    private static readonly Lazy<OnnxEmbeddingGenerator> MiniLm = new(() => OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLM));

    private readonly TempDirectory _repo = new();

    public void Dispose() => _repo.Dispose();

    private static CodeSearchEngine CreateEngine() =>
        new(new CodeSearchEngineOptions { Embedder = MiniLm.Value, FrontEnds = { new TreeSitterFrontEnd() } });

    private void Write(int count)
    {
        foreach (var (name, doc, body) in Functions.Take(count))
        {
            _repo.Write($"tasks/{name}.py", $"def {name}(*args):\n    \"\"\"{doc}\"\"\"\n    {body}\n");
        }
    }

    [Fact]
    public async Task Indexing_calibrates_the_threshold_on_the_code_bases_doc_comments_and_keeps_it_across_small_changes()
    {
        Write(Functions.Length);
        var engine = CreateEngine();
        var shipped = ConfidenceModel.ForModel("minilm")!.Threshold;

        var first = await engine.IndexAsync(_repo.Path);

        var calibration = first.SelfCalibration!;
        Assert.True(calibration.Applied, calibration.Reason);
        Assert.Equal(Functions.Length, calibration.Questions);
        Assert.InRange(calibration.FirstHits, SelfCalibration.MinQuestions / 2, Functions.Length);
        Assert.Equal(ConfidenceSource.CodeBaseDocComments, first.Index.Metadata.ConfidenceSource);
        Assert.Equal(calibration.Threshold, first.Index.Confidence!.Threshold);
        // Shrunk toward the shipped threshold, from the code base's own side.
        var own = calibration.CodeBaseThreshold!.Value;
        Assert.InRange(calibration.Threshold!.Value, Math.Min(own, shipped), Math.Max(own, shipped));
        Assert.NotEqual(shipped, calibration.Threshold!.Value);
        Assert.Equal(calibration.Threshold, engine.OpenIndex(first.IndexPath).Confidence!.Threshold);
        Assert.Contains(first.StageTimes, t => t.Stage == IndexingStage.Calibrating);

        // One file of thirty changes: the threshold calibrated on this code base is kept, not recomputed.
        _repo.Write("tasks/parse_invoice.py", "def parse_invoice(*args):\n    \"\"\"Reads the line items and the total amount from an invoice document.\"\"\"\n    return []\n");
        var second = await engine.IndexAsync(_repo.Path);

        Assert.False(second.SelfCalibration!.Applied);
        Assert.Equal(calibration.Threshold, second.Index.Confidence!.Threshold);
        Assert.Equal(ConfidenceSource.CodeBaseDocComments, second.Index.Metadata.ConfidenceSource);

        // Switched off, the shipped threshold applies again.
        var third = await engine.IndexAsync(_repo.Path, new IndexingOptions { Force = true, SelfCalibrate = false });

        Assert.Equal(ConfidenceSource.Shipped, third.Index.Metadata.ConfidenceSource);
        Assert.Equal(shipped, third.Index.Confidence!.Threshold);
    }

    [Fact]
    public async Task A_threshold_calibrated_on_questions_survives_re_indexing()
    {
        Write(Functions.Length);
        var engine = CreateEngine();
        var first = await engine.IndexAsync(_repo.Path, new IndexingOptions { SelfCalibrate = false });
        Assert.Null(first.SelfCalibration);
        Assert.Equal(ConfidenceSource.Shipped, first.Index.Metadata.ConfidenceSource);

        var questions = new[]
        {
            new EvalQuery("q1", "charge a fee for late invoices", "natural", [new RelevantLocation("tasks/apply_late_fee.py", 1, "apply_late_fee")]),
            new EvalQuery("q2", "make thumbnails smaller", "natural", [new RelevantLocation("tasks/resize_image.py", 1, "resize_image")]),
            new EvalQuery("q3", "how do I bake sourdough bread", "negative", []),
        };
        var (calibrated, _) = await engine.CalibrateAsync(first.Index, questions);
        calibrated.Save(first.IndexPath);

        var second = await engine.IndexAsync(_repo.Path, new IndexingOptions { Force = true });

        Assert.False(second.SelfCalibration!.Applied);
        Assert.Equal(ConfidenceSource.Questions, second.Index.Metadata.ConfidenceSource);
        Assert.Equal(calibrated.Confidence!.Threshold, second.Index.Confidence!.Threshold);
    }

    [Fact]
    public async Task Too_few_doc_comments_leave_the_shipped_threshold()
    {
        Write(8);

        var result = await CreateEngine().IndexAsync(_repo.Path);

        Assert.False(result.SelfCalibration!.Applied);
        Assert.Equal(8, result.SelfCalibration.Questions);
        Assert.Equal(ConfidenceSource.Shipped, result.Index.Metadata.ConfidenceSource);
        Assert.Equal(ConfidenceModel.ForModel("minilm")!.Threshold, result.Index.Confidence!.Threshold);
    }
}
