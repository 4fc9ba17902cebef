/** What every layer of the core shares: problems with their place in a file. */
export { hasErrors, formatProblem, type Problem } from './problems';
