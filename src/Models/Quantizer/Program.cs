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
/// The feed-forward activation (GELU, 1,536 wide) needs neither the mask nor the gather: its outlier channels' columns
/// move out of the input projection into a small product of their own (the same int8 values, scales and bias over the
/// same input), which the graph's own GELU nodes then turn into those channels; in the main product they are zero, and
/// GELU(0) = 0. The vectors are the same to the bit as with the mask (see <c>ActivationFold</c>).
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

    /// <summary>The outlier channels of a MatMul input with <paramref name="rows"/> channels, or none if it was not calibrated.</summary>
    private static int[] Outliers(Dictionary<string, float[]> ranges, string input, int rows) =>
        ranges.TryGetValue(input, out var range) && range.Length == rows ? Outliers(range) : [];

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
        var folds = FindActivationFolds(graph, initializers, consumers, graphOutputs, ranges);
        // By reference: a NodeProto's equality and hash follow its contents, which the loop rewrites.
        var removedNodes = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var before = new Dictionary<NodeProto, List<NodeProto>>(ReferenceEqualityComparer.Instance);
        var after = new Dictionary<NodeProto, List<NodeProto>>(ReferenceEqualityComparer.Instance);
        var splitInputs = new Dictionary<string, (int[] Channels, string Main, string Outliers)>(StringComparer.Ordinal);
        var flatOutliers = new Dictionary<string, string>(StringComparer.Ordinal);
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

            var fold = folds.GetValueOrDefault(node);

            // The input's outlier channels: masked out of the int8 product, multiplied in float beside it.
            if (!splitInputs.TryGetValue(a, out var outliers))
            {
                var channels = Outliers(ranges, a, rows);
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

            // This product feeds an activation whose outlier channels its consumer takes apart (see ActivationFold):
            // those columns move to a product of their own, with the same int8 values, scales and bias, over the same
            // input, and are zero in this one (so the activation's main path is exactly 0 there: f(0) = 0).
            var foldValues = Array.Empty<sbyte>();
            var foldOutlierWeight = Array.Empty<float>();
            if (fold is not null)
            {
                var k = fold.Channels.Length;
                foldValues = new sbyte[rows * k];
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        foldValues[(r * k) + c] = values[(r * columns) + fold.Channels[c]];
                        values[(r * columns) + fold.Channels[c]] = 0;
                    }
                }

                foldOutlierWeight = new float[outliers.Channels.Length * k];
                for (var r = 0; r < outliers.Channels.Length; r++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        foldOutlierWeight[(r * k) + c] = outlierWeight[(r * columns) + fold.Channels[c]];
                        outlierWeight[(r * columns) + fold.Channels[c]] = 0f;
                    }
                }
            }
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

            if (fold is not null)
            {
                // FindActivationFolds only folds a product whose bias Add is folded here.
                if (output != fold.PreActivation)
                {
                    throw new InvalidOperationException($"The activation fold of '{product}' lost its bias addition.");
                }

                var biasValues = Floats(initializers[bias], columns);
                var k = fold.Channels.Length;
                var foldBias = fold.Channels.Select(j => biasValues[j]).ToArray();
                foreach (var j in fold.Channels)
                {
                    biasValues[j] = 0f;
                }

                graph.Initializer.Add(FloatTensor(prefix + "_bias", biasValues, [columns]));
                bias = prefix + "_bias";
                graph.Initializer.Add(new TensorProto
                {
                    Name = prefix + "_fold_weight",
                    DataType = (int)TensorProto.Types.DataType.Int8,
                    Dims = { rows, k },
                    RawData = ByteString.CopyFrom((byte[])(Array)foldValues),
                });
                graph.Initializer.Add(FloatTensor(prefix + "_fold_scale", [.. fold.Channels.Select(j => scales[j])], [k]));
                graph.Initializer.Add(new TensorProto { Name = prefix + "_fold_zero_point", DataType = (int)TensorProto.Types.DataType.Int8, Dims = { k }, RawData = ByteString.CopyFrom(new byte[k]) });
                graph.Initializer.Add(FloatTensor(prefix + "_fold_bias", foldBias, [k]));

                // The activation's outlier channels: the moved columns' product (the same input, so the same
                // activation scale, as in the main product), their outlier rows' float product, and a copy of the
                // graph's own activation nodes, placed before the consumer (after any constants they read). The
                // consumer reads them in place of gathering them from the wide activation.
                var preActivation = prefix + "_fold_preactivation";
                var renamed = new Dictionary<string, string>(StringComparer.Ordinal) { [fold.PreActivation] = preActivation };
                var inlierProduct = outliers.Channels.Length > 0 ? prefix + "_fold_inlier_product" : preActivation;
                Before(fold.Consumer).Add(new NodeProto
                {
                    OpType = "DynamicQuantizeMatMul",
                    Domain = MicrosoftDomain,
                    Name = prefix + "_fold_inlier_product",
                    Input = { outliers.Main, prefix + "_fold_weight", prefix + "_fold_scale", prefix + "_fold_zero_point", prefix + "_fold_bias" },
                    Output = { inlierProduct },
                });
                if (outliers.Channels.Length > 0)
                {
                    graph.Initializer.Add(FloatTensor(prefix + "_fold_outlier_weight", foldOutlierWeight, [outliers.Channels.Length, k]));
                    Before(fold.Consumer).Add(new NodeProto { OpType = "MatMul", Name = prefix + "_fold_outlier_product", Input = { outliers.Outliers, prefix + "_fold_outlier_weight" }, Output = { prefix + "_fold_outlier_product" } });
                    Before(fold.Consumer).Add(new NodeProto { OpType = "Add", Name = preActivation, Input = { inlierProduct, prefix + "_fold_outlier_product" }, Output = { preActivation } });
                }

                foreach (var activationNode in fold.Nodes)
                {
                    var copy = activationNode.Clone();
                    copy.Name = activationNode.Name + "_outliers";
                    for (var i = 0; i < copy.Input.Count; i++)
                    {
                        copy.Input[i] = renamed.GetValueOrDefault(copy.Input[i], copy.Input[i]);
                    }

                    for (var i = 0; i < copy.Output.Count; i++)
                    {
                        copy.Output[i] = renamed[copy.Output[i]] = copy.Output[i] + "_outliers";
                    }

                    Before(fold.Consumer).Add(copy);
                }

                splitInputs.Add(fold.Activation, (fold.Channels, fold.Activation, renamed[fold.Activation]));
                split += fold.Channels.Length;
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
                // One Gemm adds the outlier product to the int8 product (C), where a MatMul wrote the small product and
                // an Add then read both: the same sums to the bit, one pass fewer over the wide result. Gemm is 2-D: the
                // activations' [batch, tokens] axes are flattened (Reshape copies nothing) and restored after.
                if (!flatOutliers.TryGetValue(outliers.Outliers, out var flat))
                {
                    flat = outliers.Outliers + "_rows";
                    Before(node).Add(Reshape(outliers.Outliers, outliers.Channels.Length, flat));
                    flatOutliers.Add(outliers.Outliers, flat);
                }

                After(node).Add(Reshape(prefix + "_inlier_product", columns, prefix + "_inlier_rows"));
                After(node).Add(new NodeProto { OpType = "Shape", Name = prefix + "_shape", Input = { prefix + "_inlier_product" }, Output = { prefix + "_shape" } });
                After(node).Add(new NodeProto { OpType = "Gemm", Name = prefix + "_sum", Input = { flat, prefix + "_outlier_weight", prefix + "_inlier_rows" }, Output = { prefix + "_sum_rows" } });
                After(node).Add(new NodeProto { OpType = "Reshape", Name = prefix + "_sum_shape", Input = { prefix + "_sum_rows", prefix + "_shape" }, Output = { output } });
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

        NodeProto Reshape(string input, int columns, string output)
        {
            if (!initializers.ContainsKey("quantizer_rows_of_" + columns))
            {
                var shape = new TensorProto { Name = "quantizer_rows_of_" + columns, DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 2 } };
                shape.Int64Data.Add([-1, columns]);
                graph.Initializer.Add(shape);
                initializers.Add(shape.Name, shape);
            }

            return new NodeProto { OpType = "Reshape", Name = output, Input = { input, "quantizer_rows_of_" + columns }, Output = { output } };
        }

        List<NodeProto> Before(NodeProto node) => before.TryGetValue(node, out var list) ? list : before[node] = [];
        List<NodeProto> After(NodeProto node) => after.TryGetValue(node, out var list) ? list : after[node] = [];
    }

    /// <summary>
    /// An elementwise activation (<see cref="Nodes"/>, in graph order) from <see cref="PreActivation"/> (a constant-weight
    /// MatMul plus a constant bias) to <see cref="Activation"/>, a quantized MatMul's input with outlier <see cref="Channels"/>.
    /// </summary>
    private sealed record ActivationFold(string PreActivation, string Activation, int[] Channels, IReadOnlyList<NodeProto> Nodes, NodeProto Consumer);

    /// <summary>Scalar elementwise operators an activation may be built of (GELU: Div, Erf, Add, Mul).</summary>
    private static readonly HashSet<string> ActivationOps = new(StringComparer.Ordinal) { "Div", "Erf", "Add", "Mul", "Sub", "Tanh", "Sigmoid", "Pow" };

    /// <summary>
    /// Finds the MatMul inputs with outlier channels that are an activation of another quantizable MatMul's biased output
    /// (BERT's FFN: GELU of the input projection feeds the output projection), keyed by that input projection.
    /// </summary>
    /// <remarks>
    /// Such an input's outlier channels need no mask and no gather over the wide activation: when the activation maps 0
    /// to 0, zeroing those columns of the input projection's int8 weight and bias makes the main path's channels exactly
    /// 0, and the same columns in a product of their own (the same masked input, hence the same activation scale and the
    /// same integer sums) followed by copies of the activation nodes give the channels themselves. Computing them in
    /// float instead would be cheaper still but changes the vectors (mean 1 − cos 8.7e-4 against the masked model on
    /// 4,066 chunk texts, newtonsoft symbol MRR@10 −0.011).
    /// </remarks>
    private static Dictionary<NodeProto, ActivationFold> FindActivationFolds(
        GraphProto graph,
        Dictionary<string, TensorProto> initializers,
        Dictionary<string, List<NodeProto>> consumers,
        HashSet<string> graphOutputs,
        Dictionary<string, float[]> ranges)
    {
        var folds = new Dictionary<NodeProto, ActivationFold>(ReferenceEqualityComparer.Instance);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        var scalars = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }

            if (node.OpType == "Constant" && node.Attribute.SingleOrDefault(a => a.Name == "value")?.T is { } value && Scalar(value) is { } constant)
            {
                scalars[node.Output[0]] = constant;
            }
        }

        foreach (var (name, tensor) in initializers)
        {
            if (Scalar(tensor) is { } constant)
            {
                scalars[name] = constant;
            }
        }

        foreach (var consumer in graph.Node.Where(n => IsQuantizable(n, initializers)))
        {
            var activation = consumer.Input[0];
            var rows = (int)initializers[consumer.Input[1]].Dims[0];
            var channels = Outliers(ranges, activation, rows);
            if (channels.Length == 0 || folds.Values.Any(f => f.Activation == activation))
            {
                continue;
            }

            // Walk back through scalar elementwise nodes to the one tensor they all start from.
            var nodes = new List<NodeProto>();
            var pending = new Stack<string>([activation]);
            string? source = null;
            var valid = true;
            while (valid && pending.TryPop(out var tensor))
            {
                if (producers.GetValueOrDefault(tensor) is not { } producer || !ActivationOps.Contains(producer.OpType) || producer.Domain.Length != 0 ||
                    producer.Output.Count != 1 || producer.Input.Any(i => initializers.ContainsKey(i) && !scalars.ContainsKey(i)))
                {
                    // Not an activation node: the tensor is where the activation starts (there must be one such tensor).
                    valid = source is null || source == tensor;
                    source = tensor;
                    continue;
                }

                if (nodes.Contains(producer))
                {
                    continue;
                }

                nodes.Add(producer);
                foreach (var input in producer.Input.Where(i => !scalars.ContainsKey(i)))
                {
                    pending.Push(input);
                }
            }

            // The source is `Add(MatMul(x, W), bias)` of a quantizable MatMul; every intermediate tensor stays inside.
            if (!valid || source is null || producers.GetValueOrDefault(source) is not { OpType: "Add", Domain: "" } add ||
                add.Input.Count != 2 || nodes.Count == 0)
            {
                continue;
            }

            var productName = initializers.ContainsKey(add.Input[0]) ? add.Input[1] : add.Input[0];
            if (producers.GetValueOrDefault(productName) is not { } product || !IsQuantizable(product, initializers) ||
                consumers.GetValueOrDefault(productName)?.Count != 1 || graphOutputs.Contains(productName))
            {
                continue;
            }

            var inside = nodes.Select(n => n.Output[0]).Append(source).ToHashSet(StringComparer.Ordinal);
            if (inside.Where(t => t != activation).Any(t => graphOutputs.Contains(t) || consumers.GetValueOrDefault(t, []).Any(c => !nodes.Contains(c))) ||
                Evaluate(activation, 0f) != 0f)
            {
                continue;
            }

            var ordered = graph.Node.Where(n => nodes.Contains(n)).ToList();
            folds.Add(product, new ActivationFold(source, activation, channels, ordered, consumer));

            // The activation at a scalar input, from the nodes' own formula: the fold needs f(0) = 0.
            float? Evaluate(string tensor, float input)
            {
                if (tensor == source)
                {
                    return input;
                }

                if (scalars.TryGetValue(tensor, out var constant))
                {
                    return constant;
                }

                var node = producers[tensor];
                var operands = node.Input.Select(i => Evaluate(i, input)).ToArray();
                if (operands.Any(o => o is null))
                {
                    return null;
                }

                var (x, y) = (operands[0]!.Value, operands.Length > 1 ? operands[1]!.Value : 0f);
                return node.OpType switch
                {
                    "Div" => x / y,
                    "Add" => x + y,
                    "Sub" => x - y,
                    "Mul" => x * y,
                    "Pow" => MathF.Pow(x, y),
                    "Tanh" => MathF.Tanh(x),
                    "Sigmoid" => 1f / (1f + MathF.Exp(-x)),
                    "Erf" when x == 0f => 0f,
                    _ => null,
                };
            }
        }

        return folds;

        static float? Scalar(TensorProto tensor) =>
            tensor.DataType == (int)TensorProto.Types.DataType.Float && tensor.Dims.Aggregate(1L, (p, d) => p * d) == 1 && tensor.DataLocation != TensorProto.Types.DataLocation.External
                ? Floats(tensor, 1)[0]
                : null;
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
