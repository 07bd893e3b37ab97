/** The later wire's customers and their tokens. What other folders may use of it. */
export { CustomerService, type IssuedToken, type TokenCustomer } from './service.js';
export { createCustomer, eraseCustomer, listCustomers, presentCustomer, setCustomerPassword } from './admin.js';
