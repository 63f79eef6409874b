namespace StructuralChunking.Tests;
