using StructuralChunking.Chunking;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Chunking;

/// <summary>Undocumented code borrows the doc sentences of its graph neighbours, inside its header.</summary>
public sealed class NeighbourDocumentationTests : IAsyncLifetime, IDisposable
{
    private const string Source = """
        namespace Shipping;

        public sealed class ShippingOptions
        {
            /// <summary>Rounds every parcel weight up to the next whole kilogram before pricing.</summary>
            public bool RoundUpWeights { get; set; }
        }

        public interface IRateTable
        {
            /// <summary>Looks up the carrier tariff for a destination zone.</summary>
            decimal Tariff(int zone);
        }

        public sealed class FlatRateTable : IRateTable
        {
            /// <inheritdoc/>
            public decimal Tariff(int zone)
            {
                var rate = 4.5m;
                for (var i = 0; i < zone; i++)
                {
                    rate += 0.5m;
                }

                return rate;
            }
        }

        public sealed class Quoter(ShippingOptions options, IRateTable table)
        {
            /// <summary>Quotes the shipping price of a parcel.</summary>
            public decimal Quote(double kilograms, int zone) => QuoteCore(kilograms, zone);

            private decimal QuoteCore(double kilograms, int zone)
            {
                var weight = options.RoundUpWeights ? System.Math.Ceiling(kilograms) : kilograms;
                var price = (decimal)weight * table.Tariff(zone);
                if (price < 1m)
                {
                    price = 1m;
                }

                return price;
            }

            private decimal Surcharge(double kilograms)
            {
                var extra = kilograms > 30 ? 12m : 0m;
                return options.RoundUpWeights ? extra + 1m : extra;
            }
        }
        """;

    private readonly TempDirectory _folder = new();
    private CSharpGraphResult _graph = null!;

    public async Task InitializeAsync()
    {
        _folder.Write("Shipping.cs", Source);
        _graph = await CSharpGraphLoader.LoadAsync(_folder.Path);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private string Header(string member, ChunkingOptions? options = null) =>
        ChunkingFixture.Chunk(_graph, options).First(c => c.SymbolName == "Shipping." + member).EmbeddingText;

    [Fact]
    public void An_inheritdoc_implementation_borrows_the_interface_members_sentence_for_the_class_it_shares_a_chunk_with()
    {
        Assert.Contains("doc: Looks up the carrier tariff for a destination zone.", Header("FlatRateTable"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_behind_a_documented_forwarder_borrows_its_sentence_and_the_setting_it_reads()
    {
        var header = Header("Quoter.QuoteCore");

        // The second sentence is cut at the documentation's share of the header.
        Assert.Contains("doc: Quotes the shipping price of a parcel. Rounds every parcel weight up", header, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_with_no_documented_neighbour_but_a_setting_borrows_the_settings_sentence()
    {
        Assert.Contains("doc: Rounds every parcel weight up", Header("Quoter.Surcharge"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_documented_member_keeps_its_own_sentence_only()
    {
        var header = Header("Quoter.Quote");

        Assert.Contains("doc: Quotes the shipping price of a parcel.\n", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Rounds every parcel", header, StringComparison.Ordinal);
    }

    [Fact]
    public void The_option_switches_it_off_and_hidden_documentation_hides_borrowed_sentences_too()
    {
        Assert.DoesNotContain("doc:", Header("Quoter.QuoteCore", new ChunkingOptions { InheritDocumentation = false }), StringComparison.Ordinal);
        Assert.All(ChunkingFixture.Chunk(_graph, new ChunkingOptions { HideDocumentation = true }),
            chunk => Assert.DoesNotContain("Rounds every parcel", chunk.EmbeddingText, StringComparison.Ordinal));
        Assert.DoesNotContain("inherit-doc=True", new StructuralChunker(new ChunkingOptions { InheritDocumentation = false }).Description, StringComparison.Ordinal);
    }
}
