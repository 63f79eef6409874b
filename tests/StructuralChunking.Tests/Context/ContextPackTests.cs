using StructuralChunking.Chunking;
using StructuralChunking.Context;
using StructuralChunking.Embeddings;
using StructuralChunking.Indexing;
using StructuralChunking.Search;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.Context;

/// <summary>Context packs on a small Python code base whose calls tree-sitter resolves: budget, threshold, dedup, graph context.</summary>
public sealed class ContextPackTests : IClassFixture<ContextPackTests.Repository>
{
    private readonly Repository _repo;

    public ContextPackTests(Repository repo) => _repo = repo;

    [Fact]
    public async Task Every_budget_is_respected_counting_the_whole_markdown()
    {
        foreach (var budget in new[] { 64, 100, 150, 250, 400, 700, 1200, 4000 })
        {
            var pack = await _repo.Engine.GetContextAsync(_repo.Index, "compute the invoice total with tax", new ContextPackOptions { Budget = budget });
            Assert.True(pack.TokenCount <= budget, $"{pack.TokenCount} tokens for a budget of {budget}");
            Assert.Equal(ApproximateTokenCounter.Instance.CountTokens(pack.Markdown), pack.TokenCount);
            Assert.Equal("approximate", pack.TokenCounter);
        }
    }

    [Fact]
    public async Task A_small_budget_names_the_hits_as_signatures_and_says_the_budget_ran_out()
    {
        var pack = await _repo.Engine.GetContextAsync(_repo.Index, "compute the invoice total with tax", new ContextPackOptions { Budget = 150 });

        Assert.Equal(ContextPackStop.Budget, pack.Stop);
        Assert.Contains("budget ran out", pack.Note, StringComparison.Ordinal);
        Assert.True(pack.IncludedHitCount < pack.HitCount);

        // With room for every hit's signature but not for every body, all hits are named and some stay signatures.
        var all = await _repo.Engine.GetContextAsync(_repo.Index, "compute the invoice total with tax", new ContextPackOptions { Budget = 100_000 });
        var tighter = await _repo.Engine.GetContextAsync(_repo.Index, "compute the invoice total with tax", new ContextPackOptions { Budget = all.TokenCount - 40 });
        Assert.Equal(all.HitCount, tighter.IncludedHitCount);
        Assert.Contains(tighter.Files.SelectMany(f => f.Items), i => i.Content != ContextItemContent.Full && i.Rank is not null);
        Assert.Equal(ContextPackStop.Threshold, tighter.Stop);
    }

    [Fact]
    public async Task The_pack_stops_at_the_threshold_instead_of_filling_the_budget_and_says_so()
    {
        // Each result on its own against the threshold (share 1), cut between the second and third best confidence:
        // confidence need not fall with rank, so the cut is taken from the confidences, not from the ranks.
        var all = await _repo.Index.SearchAsync("invoice total tax", _repo.Embedder, new SearchOptions { MinScore = float.NegativeInfinity });
        var confidences = all.Select(r => r.ThresholdScore).OrderDescending().ToList();
        var cut = (confidences[1] + confidences[2]) / 2;
        var options = new ContextPackOptions { Budget = 20_000, Search = new SearchOptions { MinScore = cut, AnsweredResultShare = 1 } };

        var pack = await _repo.Engine.GetContextAsync(_repo.Index, "invoice total tax", options);

        Assert.Equal(ContextPackStop.Threshold, pack.Stop);
        Assert.Equal(2, pack.HitCount);
        Assert.Equal(2, pack.IncludedHitCount);
        Assert.Contains("stops at the threshold", pack.Note, StringComparison.Ordinal);
        Assert.True(pack.TokenCount < 20_000 / 4, "a big budget is not filled with weak matches");
        Assert.Equal([1, 2], pack.Files.SelectMany(f => f.Items).Where(i => i.Rank is not null).Select(i => i.Rank!.Value).Order());

        var nothing = await _repo.Engine.GetContextAsync(_repo.Index, "invoice total tax", new ContextPackOptions { Search = new SearchOptions { MinScore = 0.999f } });
        Assert.Equal(ContextPackStop.NoHits, nothing.Stop);
        Assert.Empty(nothing.Files);
        Assert.Contains("no context rather than wrong context", nothing.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_hit_brings_the_signatures_of_what_it_calls_and_what_calls_it()
    {
        var options = new ContextPackOptions { Budget = 4000, Search = new SearchOptions { Top = 1, MinScore = float.NegativeInfinity } };

        var pack = await _repo.Engine.GetContextAsync(_repo.Index, "invoice_total", options);

        var items = pack.Files.SelectMany(f => f.Items).ToList();
        var hit = Assert.Single(items, i => i.Rank == 1);
        Assert.EndsWith("invoice_total", hit.Symbol, StringComparison.Ordinal);
        Assert.Equal(ContextItemContent.Full, hit.Content);
        var callee = Assert.Single(items, i => i.Symbol?.EndsWith("with_tax", StringComparison.Ordinal) == true);
        Assert.Equal(ContextItemContent.Signature, callee.Content);
        Assert.Equal("def with_tax(amount, rate):", callee.Text);
        Assert.StartsWith("called by hit 1", callee.Reason, StringComparison.Ordinal);
        var caller = Assert.Single(items, i => i.Symbol?.EndsWith("print_statement", StringComparison.Ordinal) == true);
        Assert.StartsWith("calls hit 1", caller.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_and_its_member_are_never_both_sent_and_items_of_a_file_never_overlap()
    {
        var options = new ContextPackOptions { Budget = 8000, Search = new SearchOptions { Top = 20, MinScore = float.NegativeInfinity } };

        var pack = await _repo.Engine.GetContextAsync(_repo.Index, "ledger posting entries balance account", options);

        foreach (var file in pack.Files)
        {
            var shown = file.Items.Where(i => i.Content != ContextItemContent.Signature).ToList();
            for (var i = 1; i < shown.Count; i++)
            {
                Assert.True(shown[i - 1].EndLine < shown[i].StartLine, $"{file.Path}: {shown[i - 1].StartLine}-{shown[i - 1].EndLine} overlaps {shown[i].StartLine}-{shown[i].EndLine}");
            }

            foreach (var signature in file.Items.Where(i => i.Content == ContextItemContent.Signature))
            {
                Assert.DoesNotContain(shown, s => s.StartLine <= signature.StartLine && signature.EndLine <= s.EndLine);
            }

            Assert.Equal(file.Items.Select(i => i.StartLine).Order(), file.Items.Select(i => i.StartLine));
        }

        Assert.Equal(pack.Files.SelectMany(f => f.Items).Count(), pack.Files.SelectMany(f => f.Items).Select(i => i.SymbolId).Distinct().Count());

        // The ledger class is small enough to be one chunk with its methods: it is shown once, with every hit it holds.
        var ledger = pack.Files.Single(f => f.Path == "ledger.py").Items.Where(i => i.Content == ContextItemContent.Full).ToList();
        Assert.NotEmpty(ledger);
    }

    [Fact]
    public void Symbols_are_found_by_name_and_their_relations_followed()
    {
        var navigator = SymbolNavigator.For(_repo.Index);

        var total = Assert.Single(navigator.Find("invoice_total"));
        Assert.Equal("billing.py", total.Path);
        Assert.Equal("def invoice_total(lines, rate):", total.Signature);
        Assert.Same(total, navigator.Find(total.Id)[0]);
        Assert.Contains(navigator.Related(total, SymbolRelation.Callees), s => s.Name!.EndsWith("with_tax", StringComparison.Ordinal));
        Assert.Contains(navigator.Related(total, SymbolRelation.Callers), s => s.Name!.EndsWith("print_statement", StringComparison.Ordinal));
        Assert.Empty(navigator.Find("no_such_function"));
        Assert.Contains("return", navigator.GetText(total), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_are_rejected_with_every_problem()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            _repo.Engine.GetContextAsync(_repo.Index, "x", new ContextPackOptions { Budget = 10, MaxRelatedPerHit = -1 }));
        Assert.Contains("Budget", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRelatedPerHit", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The code base, indexed once for the class.</summary>
    public sealed class Repository : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _folder = new();

        public HashingEmbeddingGenerator Embedder { get; } = new();

        public CodeSearchEngine Engine { get; private set; } = null!;

        public CodeIndex Index { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _folder.Write("billing.py", """
                def with_tax(amount, rate):
                    return round(amount * (1 + rate), 2)


                def invoice_total(lines, rate):
                    net = sum(line.quantity * line.unit_price for line in lines)
                    return with_tax(net, rate)


                def print_statement(customer, lines, rate):
                    total = invoice_total(lines, rate)
                    print(f"{customer}: {total}")


                def render_invoice(number, customer, lines, rate):
                    out = []
                    out.append(f"INVOICE {number}")
                    out.append(f"customer: {customer}")
                    out.append("-" * 40)
                    for line in lines:
                        out.append(f"{line.sku:<12} {line.quantity:>4} x {line.unit_price:>8.2f}")
                        if line.quantity > 100:
                            out.append("  bulk order")
                    out.append("-" * 40)
                    net = sum(line.quantity * line.unit_price for line in lines)
                    out.append(f"net total: {net:.2f}")
                    out.append(f"tax rate: {rate:.0%}")
                    out.append(f"invoice total with tax: {with_tax(net, rate):.2f}")
                    out.append("thank you for your business")
                    return "\n".join(out)
                """);
            _folder.Write("ledger.py", """
                class Ledger:
                    def __init__(self):
                        self.entries = []

                    def post(self, account, amount):
                        self.entries.append((account, amount))

                    def balance(self, account):
                        return sum(amount for name, amount in self.entries if name == account)
                """);
            _folder.Write("mail.py", """
                def send_reminder(address, text):
                    print("sending", address, text)
                """);
            Engine = new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = Embedder, FrontEnds = { new TreeSitterFrontEnd() } });
            Index = (await Engine.IndexAsync(_folder.Path)).Index;
        }

        public Task DisposeAsync()
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose() => _folder.Dispose();
    }
}
