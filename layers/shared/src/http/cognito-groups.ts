/**
 * A group name that stays one name in every shape API Gateway writes the
 * `cognito:groups` claim in ("a,b" or "[a b]"): no comma, bracket or white
 * space. A list naming any other group cannot be read unambiguously.
 */
export const isPlainGroupName = (group: unknown): group is string =>
  typeof group === 'string' && /^[^\s,[\]]+$/.test(group);
