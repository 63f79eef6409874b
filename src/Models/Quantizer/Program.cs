using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace StructuralChunking.ModelQuantizer;

/// <summary>
/// Writes the int8 variant of a float ONNX text encoder: every <c>MatMul</c> whose right-hand side is a constant 2-D float
/// weight becomes ONNX Runtime's <c>com.microsoft.DynamicQuantizeMatMul</c> over that weight quantized per output column
/// (symmetric, zero point 0), and a bias <c>Add</c> that only that product feeds is folded into the same node. The
/// activations are quantized at run time, per call, by ONNX Runtime (hence "dynamic"). Everything else — embeddings,
/// layer norms, softmax, the graph's inputs and outputs — stays float, so the model is a drop-in replacement.
/// </summary>
/// <remarks>
/// Weights use 7 bits (−63…63), not 8: on x86 CPUs without VNNI, ONNX Runtime multiplies uint8 activations by int8
/// weights with <c>vpmaddubsw</c>, whose 16-bit pair sums saturate past 255 × 64 × 2 (ONNX Runtime's own quantizer calls
/// this <c>reduce_range</c>). The output is deterministic: the same input model gives the same bytes.
/// usage: <c>StructuralChunking.ModelQuantizer INPUT.onnx OUTPUT.onnx</c>
/// </remarks>
internal static class Program
{
    private const string MicrosoftDomain = "com.microsoft";
    private const int MaxLevel = 63;

    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: StructuralChunking.ModelQuantizer INPUT.onnx OUTPUT.onnx");
            return 2;
        }

        ModelProto model;
        using (var input = File.OpenRead(args[0]))
        {
            model = ModelProto.Parser.ParseFrom(input);
        }

        var (matMuls, folded) = Quantize(model.Graph);
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
            $"{Path.GetFileName(args[0])}: {matMuls} MatMul weights quantized to int8 ({folded} bias additions folded) -> {output} ({new FileInfo(output).Length:N0} bytes)"));
        return 0;
    }

    private static (int MatMuls, int Folded) Quantize(GraphProto graph)
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
        var removedNodes = new HashSet<NodeProto>();
        var quantized = new Dictionary<string, (string Weight, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        var matMuls = 0;
        var folded = 0;
        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || node.Domain.Length > 0 || node.Input.Count != 2 ||
                !initializers.TryGetValue(node.Input[1], out var weight) || weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count != 2)
            {
                continue;
            }

            if (!quantized.TryGetValue(weight.Name, out var names))
            {
                names = (weight.Name + "_quantized", weight.Name + "_scale", weight.Name + "_zero_point");
                var (values, scales) = QuantizeColumns(weight);
                graph.Initializer.Add(new TensorProto
                {
                    Name = names.Weight,
                    DataType = (int)TensorProto.Types.DataType.Int8,
                    Dims = { weight.Dims[0], weight.Dims[1] },
                    RawData = ByteString.CopyFrom((byte[])(Array)values),
                });
                graph.Initializer.Add(FloatVector(names.Scale, scales));
                graph.Initializer.Add(new TensorProto
                {
                    Name = names.ZeroPoint,
                    DataType = (int)TensorProto.Types.DataType.Int8,
                    Dims = { weight.Dims[1] },
                    RawData = ByteString.CopyFrom(new byte[weight.Dims[1]]),
                });
                quantized.Add(weight.Name, names);
            }

            var a = node.Input[0];
            var product = node.Output[0];
            var bias = string.Empty;
            var output = product;
            // Fold `Add(product, bias)` when the product feeds nothing else and the bias is a constant vector of the
            // output width: one kernel adds it while writing the result.
            if (!graphOutputs.Contains(product) && consumers.TryGetValue(product, out var users) && users.Count == 1 &&
                users[0] is { OpType: "Add", Domain: "" } add && add.Input.Count == 2)
            {
                var other = add.Input[0] == product ? add.Input[1] : add.Input[0];
                if (initializers.TryGetValue(other, out var biasTensor) && biasTensor.DataType == (int)TensorProto.Types.DataType.Float &&
                    biasTensor.Dims.Count == 1 && biasTensor.Dims[0] == weight.Dims[1])
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
            node.Input.Add(bias.Length > 0 ? [a, names.Weight, names.Scale, names.ZeroPoint, bias] : [a, names.Weight, names.Scale, names.ZeroPoint]);
            node.Output.Clear();
            node.Output.Add(output);
            matMuls++;
        }

        if (removedNodes.Count > 0)
        {
            var kept = graph.Node.Where(n => !removedNodes.Contains(n)).ToList();
            graph.Node.Clear();
            graph.Node.Add(kept);
        }

        // Float weights nobody reads any more go, or the file would hold both copies.
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Where(t => !used.Contains(t.Name) && !graph.Input.Any(i => i.Name == t.Name)).ToList();
        foreach (var tensor in unused)
        {
            graph.Initializer.Remove(tensor);
        }

        return (matMuls, folded);
    }

    /// <summary>Symmetric per-column quantization of a [K, N] weight: column n is scaled by max |w| / 63.</summary>
    private static (sbyte[] Values, float[] Scales) QuantizeColumns(TensorProto weight)
    {
        var rows = checked((int)weight.Dims[0]);
        var columns = checked((int)weight.Dims[1]);
        var data = Floats(weight, rows * columns);
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
            scales[c] = scales[c] > 0 ? scales[c] / MaxLevel : 1f;
        }

        var values = new sbyte[data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var level = MathF.Round(data[(r * columns) + c] / scales[c], MidpointRounding.ToEven);
                values[(r * columns) + c] = (sbyte)Math.Clamp(level, -MaxLevel, MaxLevel);
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

    private static TensorProto FloatVector(string name, float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { values.Length }, RawData = ByteString.CopyFrom(bytes) };
    }
}
