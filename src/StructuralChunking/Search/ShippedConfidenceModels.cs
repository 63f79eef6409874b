namespace StructuralChunking.Search;

/// <summary>The confidence models fitted for the built-in embedding models (see <see cref="ConfidenceModel.Fit"/>).</summary>
internal static class ShippedConfidenceModels
{
    public static ConfidenceModel? ForModel(string modelId) => modelId switch
    {
        _ => null,
    };
}
