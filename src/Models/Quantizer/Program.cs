using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using StructuralChunking.Onnx;

namespace StructuralChunking.ModelQuantizer;

/// <summary>
/// Writes the int8 variant of a float ONNX text encoder: every <c>MatMul</c> whose right-hand side is a constant 2-D float
/// weight becomes ONNX Runtime's <c>com.microsoft.DynamicQuantizeMatMul</c> over that weight quantized per output column
/// (symmetric, zero point 0), and a bias <c>Add</c> that only that product feeds is folded into the same node. The
/// activations are quantized at run time, per call and per tensor, by ONNX Runtime (hence "dynamic"). Everything else —
/// embeddings, layer norms, softmax, the graph's inputs and outputs — stays float, so the model is a drop-in replacement.
/// </summary>
/// <remarks>
/// <para>
/// Outlier channels stay float. A BERT encoder carries a few hidden channels whose values are ten times the others'
/// (all-MiniLM-L6-v2: channel 99 of the residual stream reaches 30 where the median channel peaks near 2, and one of the
/// 1,536 feed-forward channels after GELU reaches 24). One scale per tensor then spends the 256 activation levels on
/// that channel and rounds every other one coarsely: that was most of the int8 model's error. The quantizer runs the
/// float model over calibration texts, records each MatMul input's largest |value| per channel, and for every channel
/// above <see cref="OutlierRatio"/> × the median channel's (at most <see cref="MaxOutliers"/> per input) multiplies the
/// channel by 0 before the int8 product (so it no longer sets the activation scale) and adds it back through a float
/// <c>MatMul</c> of those few channels with their weight rows: <c>y = int8(x · mask) W' + x[outliers] W[outliers]</c>,
/// exact in float. On MiniLM 19 of the 24 MatMul inputs have such channels (96 in all); the mean cosine with the
/// float model's vectors on code went from 0.9925 to 0.9977, for about 20–25% more embedding time (the extra passes over the
/// activations, not the small products).
/// </para>
/// <para>
/// Weights use 7 bits (−63…63) unless <c>--bits 8</c>: on x86 CPUs without VNNI, ONNX Runtime multiplies uint8
/// activations by int8 weights with <c>vpmaddubsw</c>, whose 16-bit pair sums saturate past 255 × 64 × 2 (ONNX Runtime's
/// own quantizer calls this <c>reduce_range</c>); CPUs with VNNI sum in 32 bits (<c>vpdpbusd</c>) and can take 8.
/// The output is deterministic: the same input model, calibration texts and ONNX Runtime version give the same bytes
/// (the calibrated ranges only decide which channels stay float, far from the threshold on MiniLM's main outliers).
/// </para>
/// usage: <c>StructuralChunking.ModelQuantizer INPUT.onnx OUTPUT.onnx CALIBRATION.txt [--bits 7|8]</c>; the input's
/// folder holds its tokenizer (as for <see cref="OnnxEmbeddingGenerator.FromFolder"/>); the calibration file holds one
/// JSON string a line.
/// </remarks>
internal static class Program
{
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>A channel is an outlier when its largest |value| over the calibration texts exceeds this many times the median channel's.</summary>
    private const float OutlierRatio = 3f;

    /// <summary>The most channels of one MatMul input kept float: past a few, the float product stops being small.</summary>
    private const int MaxOutliers = 16;

    /// <summary>Calibration texts are cut like the embedder cuts them.</summary>
    private const int MaxTokens = 256;

    private const string Usage = "usage: StructuralChunking.ModelQuantizer INPUT.onnx OUTPUT.onnx CALIBRATION.txt [--bits 7|8]";

    public static int Main(string[] args)
    {
        var bits = 7;
        if (args.Length == 5 && args[3] == "--bits" && int.TryParse(args[4], CultureInfo.InvariantCulture, out var value) && value is 7 or 8)
        {
            bits = value;
        }
        else if (args.Length != 3)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        ModelProto model;
        using (var input = File.OpenRead(args[0]))
        {
            model = ModelProto.Parser.ParseFrom(input);
        }

        var texts = File.ReadLines(args[2]).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<string>(l)!).ToList();
        var ranges = Calibrate(model, Path.GetDirectoryName(Path.GetFullPath(args[0]))!, texts);
        var (matMuls, folded, split) = Quantize(model.Graph, ranges, (1 << (bits - 1)) - 1);
        if (matMuls == 0)
        {
            Console.Error.WriteLine($"{args[0]}: no MatMul with a constant float weight; nothing to quantize.");
            return 1;
        }

        if (!model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        // Write then rename, so an interrupted build never leaves a truncated model that looks up to date.
        var output = Path.GetFullPath(args[1]);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var temporary = output + ".tmp";
        using (var stream = File.Create(temporary))
        {
            model.WriteTo(stream);
        }

        File.Move(temporary, output, overwrite: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(args[0])}: {matMuls} MatMul weights quantized to {bits}-bit int8 ({folded} bias additions folded; {split} outlier channels of {texts.Count} calibration texts kept float) -> {output} ({new FileInfo(output).Length:N0} bytes)"));
        return 0;
    }

    private static bool IsQuantizable(NodeProto node, Dictionary<string, TensorProto> initializers) =>
        node.OpType == "MatMul" && node.Domain.Length == 0 && node.Input.Count == 2 &&
        initializers.TryGetValue(node.Input[1], out var weight) && weight.DataType == (int)TensorProto.Types.DataType.Float && weight.Dims.Count == 2;

    /// <summary>The largest |value| of each channel (last axis) of every quantizable MatMul's input, over the texts.</summary>
    private static Dictionary<string, float[]> Calibrate(ModelProto model, string modelFolder, IReadOnlyList<string> texts)
    {
        var probe = model.Clone();
        var initializers = probe.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var names = probe.Graph.Node.Where(n => IsQuantizable(n, initializers)).Select(n => n.Input[0]).Distinct(StringComparer.Ordinal).ToList();
        var outputs = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !outputs.Contains(n)))
        {
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        // The embedder's own tokenizer, so calibration sees the token ids indexing will.
        IModelTokenizer tokenizer;
        using (var embedder = OnnxEmbeddingGenerator.FromFolder(modelFolder))
        {
            tokenizer = embedder.Tokenizer;
        }

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        var inputNames = session.InputMetadata.Keys.ToArray();
        if (session.InputMetadata.Values.Any(m => m.ElementType != typeof(long)))
        {
            throw new NotSupportedException("Calibration feeds int64 token ids; this model takes another input type.");
        }

        var ranges = names.ToDictionary(n => n, _ => Array.Empty<float>(), StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var ids = tokenizer.EncodeForModel(text, MaxTokens).Select(id => (long)id).ToArray();
            long[] shape = [1, ids.Length];
            var values = inputNames.Select(name => OrtValue.CreateTensorValueFromMemory(name switch
            {
                "attention_mask" => Enumerable.Repeat(1L, ids.Length).ToArray(),
                "token_type_ids" => new long[ids.Length],
                _ => ids,
            }, shape)).ToArray();
            try
            {
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, inputNames, values, names);
                for (var i = 0; i < names.Count; i++)
                {
                    var data = results[i].GetTensorDataAsSpan<float>();
                    var channels = (int)results[i].GetTensorTypeAndShape().Shape[^1];
                    var range = ranges[names[i]];
                    if (range.Length == 0)
                    {
                        ranges[names[i]] = range = new float[channels];
                    }

                    for (var j = 0; j < data.Length; j++)
                    {
                        range[j % channels] = Math.Max(range[j % channels], Math.Abs(data[j]));
                    }
                }
            }
            finally
            {
                foreach (var v in values)
                {
                    v.Dispose();
                }
            }
        }

        return ranges;
    }

    /// <summary>The channels to keep float, ascending: those far above the median channel's range, largest first up to the cap.</summary>
    private static int[] Outliers(float[] range)
    {
        if (range.Length == 0)
        {
            return [];
        }

        var median = range.Order().ElementAt(range.Length / 2);
        return [.. Enumerable.Range(0, range.Length)
            .Where(j => range[j] > OutlierRatio * median)
            .OrderByDescending(j => range[j]).ThenBy(j => j)
            .Take(MaxOutliers)
            .Order()];
    }

    private static (int MatMuls, int Folded, int Split) Quantize(GraphProto graph, Dictionary<string, float[]> ranges, int maxLevel)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var name in node.Input)
            {
                if (!consumers.TryGetValue(name, out var list))
                {
                    list = [];
                    consumers.Add(name, list);
                }

                list.Add(node);
            }
        }

        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        // By reference: a NodeProto's equality and hash follow its contents, which the loop rewrites.
        var removedNodes = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var before = new Dictionary<NodeProto, List<NodeProto>>(ReferenceEqualityComparer.Instance);
        var after = new Dictionary<NodeProto, List<NodeProto>>(ReferenceEqualityComparer.Instance);
        var splitInputs = new Dictionary<string, (int[] Channels, string Main, string Outliers)>(StringComparer.Ordinal);
        var matMuls = 0;
        var folded = 0;
        var split = 0;
        foreach (var node in graph.Node)
        {
            if (!IsQuantizable(node, initializers))
            {
                continue;
            }

            var weight = initializers[node.Input[1]];
            var rows = checked((int)weight.Dims[0]);
            var columns = checked((int)weight.Dims[1]);
            var a = node.Input[0];
            var product = node.Output[0];
            var data = Floats(weight, rows * columns);

            // The input's outlier channels: masked out of the int8 product, multiplied in float beside it.
            if (!splitInputs.TryGetValue(a, out var outliers))
            {
                var channels = ranges.TryGetValue(a, out var range) && range.Length == rows ? Outliers(range) : [];
                outliers = (channels, a, string.Empty);
                if (channels.Length > 0)
                {
                    outliers = (channels, a + "_inliers", a + "_outliers");
                    var mask = new float[rows];
                    Array.Fill(mask, 1f);
                    foreach (var j in channels)
                    {
                        mask[j] = 0f;
                    }

                    graph.Initializer.Add(FloatTensor(a + "_inlier_mask", mask, [rows]));
                    var indices = new TensorProto { Name = a + "_outlier_channels", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { channels.Length } };
                    indices.Int64Data.Add(channels.Select(j => (long)j));
                    graph.Initializer.Add(indices);
                    Before(node).Add(new NodeProto { OpType = "Mul", Name = a + "_inliers", Input = { a, a + "_inlier_mask" }, Output = { outliers.Main } });
                    Before(node).Add(new NodeProto
                    {
                        OpType = "Gather",
                        Name = a + "_outliers",
                        Input = { a, a + "_outlier_channels" },
                        Output = { outliers.Outliers },
                        Attribute = { new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 } },
                    });
                    split += channels.Length;
                }

                splitInputs.Add(a, outliers);
            }

            var prefix = product + "_q";
            var outlierWeight = new float[outliers.Channels.Length * columns];
            for (var k = 0; k < outliers.Channels.Length; k++)
            {
                var row = outliers.Channels[k];
                data.AsSpan(row * columns, columns).CopyTo(outlierWeight.AsSpan(k * columns));
                data.AsSpan(row * columns, columns).Clear();
            }

            var (values, scales) = QuantizeColumns(data, rows, columns, maxLevel);
            graph.Initializer.Add(new TensorProto
            {
                Name = prefix + "_weight",
                DataType = (int)TensorProto.Types.DataType.Int8,
                Dims = { rows, columns },
                RawData = ByteString.CopyFrom((byte[])(Array)values),
            });
            graph.Initializer.Add(FloatTensor(prefix + "_scale", scales, [columns]));
            graph.Initializer.Add(new TensorProto
            {
                Name = prefix + "_zero_point",
                DataType = (int)TensorProto.Types.DataType.Int8,
                Dims = { columns },
                RawData = ByteString.CopyFrom(new byte[columns]),
            });

            var bias = string.Empty;
            var output = product;
            // Fold `Add(product, bias)` when the product feeds nothing else and the bias is a constant vector of the
            // output width: one kernel adds it while writing the result.
            if (!graphOutputs.Contains(product) && consumers.TryGetValue(product, out var users) && users.Count == 1 &&
                users[0] is { OpType: "Add", Domain: "" } add && add.Input.Count == 2)
            {
                var other = add.Input[0] == product ? add.Input[1] : add.Input[0];
                if (initializers.TryGetValue(other, out var biasTensor) && biasTensor.DataType == (int)TensorProto.Types.DataType.Float &&
                    biasTensor.Dims.Count == 1 && biasTensor.Dims[0] == columns)
                {
                    bias = other;
                    output = add.Output[0];
                    removedNodes.Add(add);
                    folded++;
                }
            }

            node.OpType = "DynamicQuantizeMatMul";
            node.Domain = MicrosoftDomain;
            node.Input.Clear();
            node.Input.Add(outliers.Main);
            node.Input.Add(bias.Length > 0
                ? [prefix + "_weight", prefix + "_scale", prefix + "_zero_point", bias]
                : [prefix + "_weight", prefix + "_scale", prefix + "_zero_point"]);
            node.Output.Clear();
            if (outliers.Channels.Length == 0)
            {
                node.Output.Add(output);
            }
            else
            {
                graph.Initializer.Add(FloatTensor(prefix + "_outlier_weight", outlierWeight, [outliers.Channels.Length, columns]));
                node.Output.Add(prefix + "_inlier_product");
                After(node).Add(new NodeProto { OpType = "MatMul", Name = prefix + "_outlier_product", Input = { outliers.Outliers, prefix + "_outlier_weight" }, Output = { prefix + "_outlier_product" } });
                After(node).Add(new NodeProto { OpType = "Add", Name = prefix + "_sum", Input = { prefix + "_inlier_product", prefix + "_outlier_product" }, Output = { output } });
            }

            matMuls++;
        }

        // Rebuild the node list in topological order: new nodes sit right before or after the MatMul they serve.
        var ordered = new List<NodeProto>(graph.Node.Count + (before.Count * 2) + (after.Count * 2));
        foreach (var node in graph.Node)
        {
            if (removedNodes.Contains(node))
            {
                continue;
            }

            ordered.AddRange(before.GetValueOrDefault(node, []));
            ordered.Add(node);
            ordered.AddRange(after.GetValueOrDefault(node, []));
        }

        graph.Node.Clear();
        graph.Node.Add(ordered);

        // Float weights nobody reads any more go, or the file would hold both copies.
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Where(t => !used.Contains(t.Name) && !graph.Input.Any(i => i.Name == t.Name)).ToList();
        foreach (var tensor in unused)
        {
            graph.Initializer.Remove(tensor);
        }

        return (matMuls, folded, split);

        List<NodeProto> Before(NodeProto node) => before.TryGetValue(node, out var list) ? list : before[node] = [];
        List<NodeProto> After(NodeProto node) => after.TryGetValue(node, out var list) ? list : after[node] = [];
    }

    /// <summary>Symmetric per-column quantization of a [K, N] weight: column n is scaled by max |w| / maxLevel.</summary>
    private static (sbyte[] Values, float[] Scales) QuantizeColumns(float[] data, int rows, int columns, int maxLevel)
    {
        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(data[(r * columns) + c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / maxLevel : 1f;
        }

        var values = new sbyte[data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var level = MathF.Round(data[(r * columns) + c] / scales[c], MidpointRounding.ToEven);
                values[(r * columns) + c] = (sbyte)Math.Clamp(level, -maxLevel, maxLevel);
            }
        }

        return (values, scales);
    }

    private static float[] Floats(TensorProto tensor, int count)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"Weight '{tensor.Name}' is stored outside the model file; only self-contained models are supported.");
        }

        if (tensor.FloatData.Count == count)
        {
            return [.. tensor.FloatData];
        }

        var raw = tensor.RawData.Span;
        if (raw.Length != count * sizeof(float))
        {
            throw new InvalidDataException($"Weight '{tensor.Name}' holds {raw.Length} bytes; {count} floats were expected.");
        }

        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
        }

        return values;
    }

    private static TensorProto FloatTensor(string name, float[] values, long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
