/**
 * resource.Quantity as the API server parses, stores and compares it, for clients that compare
 * what they wrote with what the server returns (baton's drift: "0.5" in YAML, "500m" live).
 */
export { canonicalQuantity, quantityProblem, quantityValue, sameQuantity, type QuantityValue } from './apiserver/decode/quantity.js';
