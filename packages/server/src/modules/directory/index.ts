/** Queues, agents and channels as the provisioning file and the admin API write them. */
export * from './repo.js';
export { baseUrlProblem } from './urls.js';
export { ratingScale, setRatingScale } from './settings.js';
