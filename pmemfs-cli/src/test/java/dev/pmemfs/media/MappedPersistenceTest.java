package dev.pmemfs.media;

class MappedPersistenceTest extends PersistenceDomainContract {
    @Override
    PersistenceDomain newDomain() {
        return PersistenceDomain.mapped();
    }
}
