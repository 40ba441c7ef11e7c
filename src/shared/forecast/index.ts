// The price-forecast core: platform-free; the worker, CLI and chat handlers import from here.
export {
  ARTIFACT_FORMAT,
  type ForecastSource,
  type PriceModelArtifact,
  type StoredMetrics,
  parsePriceModelArtifact,
  priceModelArtifactSchema,
} from './artifact.js';
export { type ForecastChartInput, renderForecastChart } from './chart.js';
export { type PriceModelConfig, type PriceModelConfigInput, priceModelConfigSchema, resolvePriceModelConfig } from './config.js';
export { type SeriesCsvOptions, type SeriesPoint, SeriesCsvError, parseSeriesCsv } from './csv.js';
export { GATE_CRITICAL_VALUE, type GateDecision, decideGate } from './gate.js';
export { type DailyClose, type NextCloseForecast, forecastNextClose } from './next-close.js';
export { type PriceModel, loadPriceModel } from './price-model.js';
export { InsufficientHistoryError, type TrainedPriceModel, minimumClosesFor, trainPriceModel } from './train.js';
export { nextTradingDay } from './trading-days.js';
export { type WalkForwardOptions, type WalkForwardResult, walkForward } from './walk-forward.js';
